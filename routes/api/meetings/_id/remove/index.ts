import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { errorResponses, IdParams, Removed } from '../../../../../schemas/common'

const removeMeeting: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.delete('/', {
    config: { access: 'member' },
    schema: {
      summary: 'Erase a meeting for good (staff, or the mentor or mentee of its match)',
      tags: ['meetings'],
      params: IdParams,
      response: { 200: Removed, ...errorResponses(400, 401, 403, 404) }
    }
  }, async (request) => {
    fastify.domain.meetings.erase(request.caller, request.params.id)
    return { id: request.params.id, removed: true as const }
  })
}

export default removeMeeting
