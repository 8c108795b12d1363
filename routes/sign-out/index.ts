import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'

const signOut: FastifyPluginAsyncTypebox = async (fastify) => {
  // Public, so that signing out works even once the session has expired.
  fastify.post('/', {
    config: { access: 'public', page: true },
    schema: { summary: 'Page: sign out (ends every session of the user: in every browser, and every API token)', tags: ['pages'] }
  }, async (request, reply) => {
    // A copy of the cookie must not outlive the sign-out, so the session ends on the server too.
    const user = fastify.signedInUser(request)
    if (user) fastify.domain.accounts.signOutEverywhere(user.id)
    reply.endSession()
    return reply.redirect('/sign-in', 303)
  })
}

export default signOut
