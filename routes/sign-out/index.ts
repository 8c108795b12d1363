import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'

const signOut: FastifyPluginAsyncTypebox = async (fastify) => {
  // Public, so that signing out works even once the session has expired.
  fastify.post('/', {
    config: { access: 'public', page: true },
    schema: { summary: 'Page: sign out (ends the session in this browser)', tags: ['pages'] }
  }, async (_request, reply) => {
    reply.endSession()
    return reply.redirect('/sign-in', 303)
  })
}

export default signOut
