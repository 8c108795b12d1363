import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { errorResponses } from '../../../../schemas/common'

const readAllRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { notifications } = fastify.domain

  fastify.post('/', {
    config: { access: 'member' },
    schema: {
      summary: "Mark every one of the caller's own unread notifications read; answers how many",
      tags: ['notifications'],
      response: {
        200: Type.Object({ count: Type.Integer({ minimum: 0, description: 'How many notifications were unread and are now read' }) }),
        ...errorResponses(401)
      }
    }
  }, async (request) => ({ count: notifications.markAllRead(request.caller) }))
}

export default readAllRoutes
