import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { errorResponses, IdParams, Removed } from '../../../../../schemas/common'

const removeOrganization: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.delete('/', {
    config: { access: 'owner' },
    schema: {
      summary: 'Erase an organization and everything in it',
      tags: ['organizations'],
      params: IdParams,
      response: { 200: Removed, ...errorResponses(400, 401, 403, 404) }
    }
  }, async (request) => {
    fastify.domain.organizations.erase(request.caller, request.params.id)
    return { id: request.params.id, removed: true as const }
  })
}

export default removeOrganization
