import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { requireGitHub } from '../../../../../plugins/github'
import { errors } from '../../../../schemas'
import { Redirect } from '../../../auth/github/schemas'
import { invitationRules } from '../../rules'
import { InvitationParams } from '../../schemas'

const acceptWithGitHub: FastifyPluginAsyncTypebox = async (fastify) => {
  const rules = invitationRules(fastify)

  fastify.get('/', {
    config: { public: true },
    schema: {
      summary: 'Accept an invitation with a GitHub account: redirects to GitHub (no token needed)',
      description: 'The callback creates the user when one of the GitHub account\'s verified emails is the invitation\'s.',
      tags: ['invitations', 'auth'],
      params: InvitationParams,
      response: { 302: Redirect, ...errors(400, 404, 410, 503) }
    }
  }, async (request, reply) => {
    const github = requireGitHub(fastify)
    const invitation = rules.open(request.params.invitation_id)
    return reply.redirect(await github.authorizeUrl(request, reply, invitation.id))
  })
}

export default acceptWithGitHub
