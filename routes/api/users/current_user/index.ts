import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { errorResponses } from '../../../../schemas/common'
import { UserRecord } from '../../../../schemas/users'

const currentUser: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get('/', {
    config: { access: 'member' },
    schema: {
      summary: 'The signed-in user',
      tags: ['users'],
      response: { 200: UserRecord, ...errorResponses(401) }
    }
  }, async (request) => request.caller.user)
}

export default currentUser
