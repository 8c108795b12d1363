import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Body, errorResponses, Id, ListQuery, sendList } from '../../../schemas/common'
import { Content, NotificationRecord } from '../../../schemas/notifications'

const notificationsRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { notifications } = fastify.domain

  fastify.get('/', {
    config: { access: 'member' },
    schema: {
      summary: "The caller's notifications (an ADMINISTRATOR: everyone's)",
      tags: ['notifications'],
      querystring: ListQuery({ watched: Type.Optional(Type.Boolean({ description: 'true: read ones, false: unread ones' })) }),
      response: { 200: Type.Array(NotificationRecord), ...errorResponses(400, 401) }
    }
  }, async (request, reply) => sendList(reply, notifications.list(request.caller, request.query)))

  fastify.post('/', {
    config: { access: 'staff' },
    schema: {
      summary: 'Notify a user of the organization',
      tags: ['notifications'],
      body: Body({ user_id: Id, content: Content }),
      response: { 201: NotificationRecord, ...errorResponses(400, 401, 403) }
    }
  }, async (request, reply) => reply.code(201).send(notifications.create(request.caller, request.body)))
}

export default notificationsRoutes
