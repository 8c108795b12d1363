import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { errorResponses, IdParams, Removed } from '../../../../../schemas/common'

const removeMentor: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.delete('/', {
    config: { access: 'staff' },
    schema: {
      summary: 'Erase a mentor profile and its matches for good',
      tags: ['mentors'],
      params: IdParams,
      response: { 200: Removed, ...errorResponses(400, 401, 403, 404) }
    }
  }, async (request) => {
    fastify.domain.mentors.erase(request.caller, request.params.id)
    return { id: request.params.id, removed: true as const }
  })
}

export default removeMentor
