import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { errors, IdParams, Removed } from '../../../../schemas'
import { notificationFor } from '../../access'

const removeNotification: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.delete('/', {
    schema: {
      summary: 'Erase a notification for good (its recipient, or staff)',
      tags: ['notifications'],
      params: IdParams,
      response: { 200: Removed, ...errors(400, 401, 403, 404) }
    }
  }, async (request) => {
    const { tenant } = request
    const notification = notificationFor(request, request.params.id, tenant.includeDeleted(true))
    tenant.notifications.remove(notification.id)
    return { id: notification.id, removed: true as const }
  })
}

export default removeNotification
