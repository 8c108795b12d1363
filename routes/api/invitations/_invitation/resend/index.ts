import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { errorResponses } from '../../../../../schemas/common'
import { InvitationIdParams, IssuedInvitation } from '../../../../../schemas/invitations'

const resendInvitation: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post('/', {
    config: { access: 'staff' },
    schema: {
      summary: 'Issue a new link for an invitation (the old one stops working), restart its expiry and email it again',
      tags: ['invitations'],
      params: InvitationIdParams,
      response: { 200: IssuedInvitation, ...errorResponses(400, 401, 403, 404, 409) }
    }
  }, async (request) =>
    fastify.domain.invitations.resend(request.caller, request.params.invitation, `${request.protocol}://${request.host}`))
}

export default resendInvitation
