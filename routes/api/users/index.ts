import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { errorResponses, Id, ListQuery, sendList } from '../../../schemas/common'
import { Role, UserRecord } from '../../../schemas/users'

const usersRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { users } = fastify.domain

  fastify.get('/', {
    config: { access: 'staff' },
    schema: {
      summary: "List the organization's users",
      tags: ['users'],
      querystring: ListQuery({
        role: Type.Optional(Role),
        q: Type.Optional(Type.String({ minLength: 1, maxLength: 100, format: 'line', description: 'Text found in the name or email' })),
        organization_id: Type.Optional(Id)
      }),
      response: { 200: Type.Array(UserRecord), ...errorResponses(400, 401, 403) }
    }
  }, async (request, reply) => sendList(reply, users.list(request.caller, request.query)))
}

export default usersRoutes
