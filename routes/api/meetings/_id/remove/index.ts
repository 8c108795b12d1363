import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { errors, IdParams, Removed } from '../../../../schemas'
import { meetingAccess } from '../../access'

const removeMeeting: FastifyPluginAsyncTypebox = async (fastify) => {
  const access = meetingAccess(fastify.db)
  fastify.delete('/', {
    schema: {
      summary: 'Erase a meeting for good (staff, or the mentor or mentee of its match)',
      tags: ['meetings'],
      params: IdParams,
      response: { 200: Removed, ...errors(400, 401, 403, 404) }
    }
  }, async (request) => {
    const { tenant } = request
    const meeting = access.meetingFor(request, request.params.id, tenant.includeDeleted(true))
    tenant.meetings.remove(meeting.id)
    return { id: meeting.id, removed: true as const }
  })
}

export default removeMeeting
