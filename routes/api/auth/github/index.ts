import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { requireGitHub } from '../../../../plugins/github'
import { Redirect } from '../../../../schemas/auth'
import { errorResponses } from '../../../../schemas/common'

const signInWithGitHub: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get('/', {
    config: { access: 'public' },
    schema: {
      summary: 'Sign in with GitHub: redirects to GitHub, which comes back to /api/auth/github/callback',
      tags: ['auth'],
      response: { 302: Redirect, ...errorResponses(503) }
    }
  }, async (request, reply) => {
    const github = requireGitHub(fastify)
    return reply.redirect(await github.authorizeUrl(request, reply))
  })
}

export default signInWithGitHub
