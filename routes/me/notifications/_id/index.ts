import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Id } from '../../../../schemas/common'
import { viewOf } from '../../../../web/layout'
import { notificationRow } from '../../../../web/pages/participant'

const notification: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post('/', {
    config: { access: 'member', page: true },
    schema: { summary: 'Page: mark one notification read (htmx swaps its row; without scripts, back to the list)', tags: ['pages'], params: Type.Object({ id: Id }) }
  }, async (request, reply) => {
    const read = fastify.domain.notifications.markRead(request.caller, request.params.id)
    if (request.headers['hx-request'] === 'true') return reply.type('text/html; charset=utf-8').send(notificationRow(viewOf(request, reply), read).text)
    return reply.redirect('/me/notifications', 303)
  })
}

export default notification
