import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { isStaff } from '../../../../plugins/auth'
import { forbidden } from '../../../../plugins/errors'
import { Body, errors, IdParams, IncludeDeletedQuery } from '../../../schemas'
import { notificationFor } from '../access'
import { Content, NotificationRecord } from '../schemas'

const notificationRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get('/', {
    schema: {
      summary: 'A notification (its recipient, or staff)',
      tags: ['notifications'],
      params: IdParams,
      querystring: IncludeDeletedQuery,
      response: { 200: NotificationRecord, ...errors(400, 401, 403, 404) }
    }
  }, async (request) =>
    notificationFor(request, request.params.id, request.tenant.includeDeleted(request.query.include_deleted)))

  fastify.put('/', {
    schema: {
      summary: 'Edit a notification: staff its content (and restore it), the recipient whether it is read',
      tags: ['notifications'],
      params: IdParams,
      body: Body({
        content: Type.Optional(Content),
        watched: Type.Optional(Type.Boolean()),
        deleted: Type.Optional(Type.Boolean({ description: 'Staff: false restores a soft-deleted notification' }))
      }),
      response: { 200: NotificationRecord, ...errors(400, 401, 403, 404) }
    }
  }, async (request) => {
    const { tenant, user } = request
    const { content, watched, deleted } = request.body
    const notification = notificationFor(request, request.params.id, deleted === false && tenant.includeDeleted(true))
    if (content !== undefined && !isStaff(user)) throw forbidden('Only staff edit the content of a notification')
    if (watched !== undefined && notification.user_id !== user.id) {
      throw forbidden('Only the recipient marks a notification read or unread')
    }
    if (deleted !== undefined && deleted !== notification.deleted && !isStaff(user)) {
      throw forbidden('Only staff delete or restore notifications this way')
    }
    return tenant.notifications.update(notification.id, { content, watched, deleted })
  })

  fastify.patch('/', {
    schema: {
      summary: 'Mark a notification read (its recipient)',
      tags: ['notifications'],
      params: IdParams,
      response: { 200: NotificationRecord, ...errors(400, 401, 403, 404) }
    }
  }, async (request) => {
    const notification = notificationFor(request, request.params.id)
    if (notification.user_id !== request.user.id) throw forbidden('Only the recipient marks a notification read')
    return request.tenant.notifications.update(notification.id, { watched: true })
  })

  fastify.delete('/', {
    schema: {
      summary: 'Soft-delete a notification (its recipient, or staff)',
      tags: ['notifications'],
      params: IdParams,
      response: { 200: NotificationRecord, ...errors(400, 401, 403, 404) }
    }
  }, async (request) => {
    const notification = notificationFor(request, request.params.id)
    return request.tenant.notifications.update(notification.id, { deleted: true })
  })
}

export default notificationRoutes
