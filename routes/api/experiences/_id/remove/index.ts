import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { errorResponses, IdParams, Removed } from '../../../../../schemas/common'

const removeExperience: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.delete('/', {
    config: { access: 'staff' },
    schema: {
      summary: 'Erase an experience for good',
      tags: ['experiences'],
      params: IdParams,
      response: { 200: Removed, ...errorResponses(400, 401, 403, 404) }
    }
  }, async (request) => {
    fastify.domain.experiences.erase(request.caller, request.params.id)
    return { id: request.params.id, removed: true as const }
  })
}

export default removeExperience
