import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { markPageSignIn, requireGitHub } from '../../../../plugins/github'

const acceptWithGitHub: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get('/', {
    config: { access: 'public', page: true },
    schema: {
      summary: 'Page: accept an invitation with GitHub (back through the API callback, which starts the session)',
      tags: ['pages'],
      params: Type.Object({ token: Type.String({ minLength: 1, maxLength: 100 }) })
    }
  }, async (request, reply) => {
    const github = requireGitHub(fastify)
    fastify.domain.invitations.open(request.params.token)
    markPageSignIn(reply)
    return reply.redirect(await github.authorizeUrl(request, reply, request.params.token))
  })
}

export default acceptWithGitHub
