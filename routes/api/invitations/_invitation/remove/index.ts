import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { errorResponses, Removed } from '../../../../../schemas/common'
import { InvitationIdParams } from '../../../../../schemas/invitations'

const removeInvitation: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.delete('/', {
    config: { access: 'staff' },
    schema: {
      summary: 'Revoke an invitation and erase it; a user who already accepted it stays',
      tags: ['invitations'],
      params: InvitationIdParams,
      response: { 200: Removed, ...errorResponses(400, 401, 403, 404) }
    }
  }, async (request) => {
    fastify.domain.invitations.remove(request.caller, request.params.invitation)
    return { id: request.params.invitation, removed: true as const }
  })
}

export default removeInvitation
