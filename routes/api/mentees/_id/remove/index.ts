import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { errorResponses, IdParams, Removed } from '../../../../../schemas/common'

const removeMentee: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.delete('/', {
    config: { access: 'staff' },
    schema: {
      summary: 'Erase a mentee profile and its matches for good',
      tags: ['mentees'],
      params: IdParams,
      response: { 200: Removed, ...errorResponses(400, 401, 403, 404) }
    }
  }, async (request) => {
    fastify.domain.mentees.erase(request.caller, request.params.id)
    return { id: request.params.id, removed: true as const }
  })
}

export default removeMentee
