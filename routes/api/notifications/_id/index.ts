import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Body, errorResponses, IdParams, IncludeDeletedQuery } from '../../../../schemas/common'
import { Content, NotificationRecord } from '../../../../schemas/notifications'

const notificationRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { notifications } = fastify.domain

  fastify.get('/', {
    config: { access: 'member' },
    schema: {
      summary: 'A notification (its recipient, or staff)',
      tags: ['notifications'],
      params: IdParams,
      querystring: IncludeDeletedQuery,
      response: { 200: NotificationRecord, ...errorResponses(400, 401, 403, 404) }
    }
  }, async (request) => notifications.get(request.caller, request.params.id, request.query.include_deleted))

  fastify.put('/', {
    config: { access: 'member' },
    schema: {
      summary: 'Edit a notification: staff its content (and restore it), the recipient whether it is read',
      tags: ['notifications'],
      params: IdParams,
      body: Body({
        content: Type.Optional(Content),
        watched: Type.Optional(Type.Boolean()),
        deleted: Type.Optional(Type.Boolean({ description: 'Staff: false restores a soft-deleted notification' }))
      }),
      response: { 200: NotificationRecord, ...errorResponses(400, 401, 403, 404) }
    }
  }, async (request) => notifications.update(request.caller, request.params.id, request.body))

  fastify.patch('/', {
    config: { access: 'member' },
    schema: {
      summary: 'Mark a notification read (its recipient)',
      tags: ['notifications'],
      params: IdParams,
      response: { 200: NotificationRecord, ...errorResponses(400, 401, 403, 404) }
    }
  }, async (request) => notifications.markRead(request.caller, request.params.id))

  fastify.delete('/', {
    config: { access: 'member' },
    schema: {
      summary: 'Soft-delete a notification (its recipient, or staff)',
      tags: ['notifications'],
      params: IdParams,
      response: { 200: NotificationRecord, ...errorResponses(400, 401, 403, 404) }
    }
  }, async (request) => notifications.softDelete(request.caller, request.params.id))
}

export default notificationRoutes
