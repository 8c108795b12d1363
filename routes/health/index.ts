import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'

const health: FastifyPluginAsyncTypebox = async (fastify) => {
  const { health } = fastify.domain
  fastify.get('/', {
    config: { access: 'public' },
    schema: {
      summary: 'Tell whether the server and its database answer',
      tags: ['service'],
      response: {
        200: Type.Object({ status: Type.Literal('ok') }),
        503: Type.Object({ status: Type.Literal('unavailable'), error: Type.String() })
      }
    }
  }, async (request, reply) => {
    try {
      health.checkDatabase()
      return { status: 'ok' as const }
    } catch (error) {
      request.log.error({ err: error }, 'health check: the database does not answer')
      return reply.code(503).send({ status: 'unavailable' as const, error: 'The database does not answer' })
    }
  })
}

export default health
