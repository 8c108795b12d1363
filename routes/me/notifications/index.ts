import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { PageQuery } from '../../../schemas/pages'
import { pageOf, viewOf } from '../../../web/layout'
import { notificationsPage } from '../../../web/pages/participant'

const notificationsRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { notifications } = fastify.domain

  fastify.get('/', {
    config: { access: 'member', page: true },
    schema: { summary: 'Page: my notifications, newest first', tags: ['pages'], querystring: PageQuery }
  }, async (request, reply) => {
    const { page } = request.query
    const { rows, total } = notifications.list(request.caller, pageOf(page))
    const unread = notifications.list(request.caller, { watched: false, limit: 1, offset: 0 }).total
    return reply.html(notificationsPage(viewOf(request, reply), page, rows, total, unread))
  })

  fastify.post('/', {
    config: { access: 'member', page: true },
    schema: { summary: 'Page: mark all my notifications read', tags: ['pages'] }
  }, async (request, reply) => {
    notifications.markAllRead(request.caller)
    return reply.redirect('/me/notifications', 303)
  })
}

export default notificationsRoutes
