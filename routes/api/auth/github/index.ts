import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { requireGitHub } from '../../../../plugins/github'
import { errors } from '../../../schemas'
import { Redirect } from './schemas'

const signInWithGitHub: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get('/', {
    config: { public: true },
    schema: {
      summary: 'Sign in with GitHub: redirects to GitHub, which comes back to /api/auth/github/callback',
      tags: ['auth'],
      response: { 302: Redirect, ...errors(503) }
    }
  }, async (request, reply) => {
    const github = requireGitHub(fastify)
    return reply.redirect(await github.authorizeUrl(request, reply))
  })
}

export default signInWithGitHub
