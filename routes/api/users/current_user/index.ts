import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { errors } from '../../../schemas'
import { UserRecord } from '../schemas'

const currentUser: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get('/', {
    schema: {
      summary: 'The signed-in user',
      tags: ['users'],
      response: { 200: UserRecord, ...errors(401) }
    }
  }, async (request) => request.user)
}

export default currentUser
