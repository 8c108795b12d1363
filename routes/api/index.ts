import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'

const api: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get('/', {
    config: { access: 'public' },
    schema: {
      summary: 'Tell that the API answers',
      tags: ['service'],
      response: { 200: Type.Object({ message: Type.String() }) }
    }
  }, async () => ({ message: 'API OK' }))
}

export default api
