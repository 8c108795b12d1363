import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Body, Email, errorResponses, IdParams, IncludeDeletedQuery, Password } from '../../../../schemas/common'
import { EmailChoice, ProfileFields, PublicUserRecord, Role, UserRecord } from '../../../../schemas/users'

const userRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { users } = fastify.domain

  fastify.get('/', {
    config: { access: 'member' },
    schema: {
      summary: 'A user of the organization: the whole record to themself and staff, the public view to other members',
      tags: ['users'],
      params: IdParams,
      querystring: IncludeDeletedQuery,
      // The whole record first: serialization takes the first schema the answer fits.
      response: { 200: Type.Union([UserRecord, PublicUserRecord]), ...errorResponses(400, 401, 404) }
    }
  }, async (request) => users.get(request.caller, request.params.id, request.query.include_deleted))

  fastify.put('/', {
    config: { access: 'member' },
    schema: {
      summary: 'Edit a user: themself their details, password and email choice, staff the details, role and deletion',
      tags: ['users'],
      params: IdParams,
      body: Body({
        ...ProfileFields,
        email: Type.Optional(Email),
        password: Type.Optional(Password),
        current_password: Type.Optional(Type.String({ minLength: 1 })),
        role: Type.Optional(Role),
        email_notifications: Type.Optional(EmailChoice),
        deleted: Type.Optional(Type.Boolean({ description: 'Staff: false restores a soft-deleted user' }))
      }),
      response: { 200: UserRecord, ...errorResponses(400, 401, 403, 404, 409) }
    }
  }, async (request) => users.update(request.caller, request.params.id, request.body))

  fastify.delete('/', {
    config: { access: 'member' },
    schema: {
      summary: 'Soft-delete a user (themself or staff)',
      tags: ['users'],
      params: IdParams,
      response: { 200: UserRecord, ...errorResponses(400, 401, 403, 404, 409) }
    }
  }, async (request) => users.softDelete(request.caller, request.params.id))
}

export default userRoutes
