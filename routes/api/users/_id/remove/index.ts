import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { errorResponses, IdParams, Removed } from '../../../../../schemas/common'

const removeUser: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.delete('/', {
    config: { access: 'owner' },
    schema: {
      summary: 'Erase a user and what is theirs for good',
      tags: ['users'],
      params: IdParams,
      response: { 200: Removed, ...errorResponses(400, 401, 403, 404, 409) }
    }
  }, async (request) => {
    fastify.domain.users.erase(request.caller, request.params.id)
    return { id: request.params.id, removed: true as const }
  })
}

export default removeUser
