import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { errorResponses, IdParams, Removed } from '../../../../../schemas/common'

const removeNotification: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.delete('/', {
    config: { access: 'member' },
    schema: {
      summary: 'Erase a notification for good (its recipient, or staff)',
      tags: ['notifications'],
      params: IdParams,
      response: { 200: Removed, ...errorResponses(400, 401, 403, 404) }
    }
  }, async (request) => {
    fastify.domain.notifications.erase(request.caller, request.params.id)
    return { id: request.params.id, removed: true as const }
  })
}

export default removeNotification
