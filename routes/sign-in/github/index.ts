import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { markPageSignIn, requireGitHub } from '../../../plugins/github'

const signInWithGitHub: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get('/', {
    config: { access: 'public', page: true },
    schema: { summary: 'Page: sign in with GitHub (back through the API callback, which starts the session)', tags: ['pages'] }
  }, async (request, reply) => {
    const github = requireGitHub(fastify)
    markPageSignIn(reply)
    return reply.redirect(await github.authorizeUrl(request, reply))
  })
}

export default signInWithGitHub
