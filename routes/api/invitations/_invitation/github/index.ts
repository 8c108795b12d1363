import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { requireGitHub } from '../../../../../plugins/github'
import { Redirect } from '../../../../../schemas/auth'
import { errorResponses } from '../../../../../schemas/common'
import { InvitationTokenParams } from '../../../../../schemas/invitations'

const acceptWithGitHub: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get('/', {
    config: { access: 'public' },
    schema: {
      summary: 'Accept an invitation with a GitHub account: redirects to GitHub',
      description: 'The callback creates the user when one of the GitHub account\'s verified emails is the invitation\'s.',
      tags: ['invitations', 'auth'],
      params: InvitationTokenParams,
      response: { 302: Redirect, ...errorResponses(400, 404, 410, 503) }
    }
  }, async (request, reply) => {
    const github = requireGitHub(fastify)
    const { invitation } = request.params
    fastify.domain.invitations.open(invitation)
    return reply.redirect(await github.authorizeUrl(request, reply, invitation))
  })
}

export default acceptWithGitHub
