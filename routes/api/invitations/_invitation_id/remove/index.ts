import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { requireStaff } from '../../../../../plugins/auth'
import { forbidden } from '../../../../../plugins/errors'
import { errors, Removed } from '../../../../schemas'
import { InvitationParams } from '../../schemas'

const removeInvitation: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.delete('/', {
    schema: {
      summary: 'Revoke an invitation and erase it (staff); a user who already accepted it stays',
      tags: ['invitations'],
      params: InvitationParams,
      response: { 200: Removed, ...errors(400, 401, 403, 404) }
    }
  }, async (request) => {
    const { tenant, user: caller } = request
    requireStaff(caller)
    const invitation = tenant.invitations.get(request.params.invitation_id)
    if (caller.role === 'MANAGER' && invitation.role === 'OWNER') {
      throw forbidden('Only an OWNER revokes an invitation to become OWNER')
    }
    tenant.invitations.remove(invitation.id)
    return { id: invitation.id, removed: true as const }
  })
}

export default removeInvitation
