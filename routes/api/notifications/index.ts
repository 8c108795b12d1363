import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { eq } from 'drizzle-orm'
import { notifications } from '../../../db/schema'
import { requireStaff } from '../../../plugins/auth'
import { badRequest } from '../../../plugins/errors'
import { Body, errors, Id, ListQuery, sendList } from '../../schemas'
import { Content, NotificationRecord } from './schemas'

const notificationsRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get('/', {
    schema: {
      summary: "The caller's notifications (an ADMINISTRATOR: everyone's)",
      tags: ['notifications'],
      querystring: ListQuery({ watched: Type.Optional(Type.Boolean({ description: 'true: read ones, false: unread ones' })) }),
      response: { 200: Type.Array(NotificationRecord), ...errors(400, 401) }
    }
  }, async (request, reply) => {
    const { tenant, user } = request
    const { watched, ...page } = request.query
    return sendList(reply, tenant.notifications.list({
      ...page,
      includeDeleted: tenant.includeDeleted(page.include_deleted),
      where: [
        user.role === 'ADMINISTRATOR' ? undefined : eq(notifications.user_id, user.id),
        watched === undefined ? undefined : eq(notifications.watched, watched)
      ]
    }))
  })

  fastify.post('/', {
    schema: {
      summary: 'Notify a user of the organization (staff)',
      tags: ['notifications'],
      body: Body({ user_id: Id, content: Content }),
      response: { 201: NotificationRecord, ...errors(400, 401, 403) }
    }
  }, async (request, reply) => {
    const { tenant } = request
    requireStaff(request.user)
    const recipient = tenant.users.find(request.body.user_id)
    if (!recipient?.organization_id) throw badRequest('user_id does not name a user of your organization')
    const notification = tenant.notifications.insert({ ...request.body, organization_id: recipient.organization_id })
    return reply.code(201).send(notification)
  })
}

export default notificationsRoutes
