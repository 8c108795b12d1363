import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { errorResponses, IdParams, Removed } from '../../../../../schemas/common'

const removeMatch: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.delete('/', {
    config: { access: 'staff' },
    schema: {
      summary: 'Erase a match and its meetings for good, freeing the capacity it held',
      tags: ['matches'],
      params: IdParams,
      response: { 200: Removed, ...errorResponses(400, 401, 403, 404) }
    }
  }, async (request) => {
    fastify.domain.matches.erase(request.caller, request.params.id)
    return { id: request.params.id, removed: true as const }
  })
}

export default removeMatch
