import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { hashPassword, verifyPassword } from '../../../../plugins/auth'
import { badRequest, forbidden } from '../../../../plugins/errors'
import { Body, Email, errors, IdParams, IncludeDeletedQuery, Password } from '../../../schemas'
import { userRules } from '../rules'
import { ProfileFields, Role, UserRecord } from '../schemas'

const userRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const rules = userRules(fastify)

  fastify.get('/', {
    schema: {
      summary: 'A user of the organization',
      tags: ['users'],
      params: IdParams,
      querystring: IncludeDeletedQuery,
      response: { 200: UserRecord, ...errors(400, 401, 404) }
    }
  }, async (request) => {
    const { tenant } = request
    return tenant.users.get(request.params.id, tenant.includeDeleted(request.query.include_deleted))
  })

  fastify.put('/', {
    schema: {
      summary: 'Edit a user: themself their details and password, staff the details, role and deletion',
      tags: ['users'],
      params: IdParams,
      body: Body({
        ...ProfileFields,
        email: Type.Optional(Email),
        password: Type.Optional(Password),
        current_password: Type.Optional(Type.String({ minLength: 1 })),
        role: Type.Optional(Role),
        deleted: Type.Optional(Type.Boolean({ description: 'Staff: false restores a soft-deleted user' }))
      }),
      response: { 200: UserRecord, ...errors(400, 401, 403, 404, 409) }
    }
  }, async (request) => {
    const { tenant, user: caller } = request
    const { password, current_password, role, deleted, ...details } = request.body
    const target = tenant.users.get(request.params.id, deleted === false && tenant.includeDeleted(true))
    rules.mayManage(caller, target)

    if (role !== undefined && role !== target.role) {
      rules.mayChangeRole(caller, target, role)
      rules.keepAnOwner(target)
    }
    if (deleted !== undefined && deleted !== target.deleted) {
      if (!tenant.includeDeleted(true)) throw forbidden('Only staff delete or restore users this way')
      if (deleted) rules.keepAnOwner(target)
    }
    let password_hash: string | undefined
    if (password !== undefined) {
      if (caller.id !== target.id) throw forbidden('Only the user themself changes their password')
      if (current_password === undefined) throw badRequest('current_password is required to change the password')
      if (!(await verifyPassword(current_password, target.password_hash))) {
        throw forbidden('current_password is wrong')
      }
      password_hash = await hashPassword(password)
    } else if (current_password !== undefined) {
      throw badRequest('current_password goes with a new password')
    }
    return tenant.users.update(target.id, { ...details, role, deleted, password_hash })
  })

  fastify.delete('/', {
    schema: {
      summary: 'Soft-delete a user (themself or staff)',
      tags: ['users'],
      params: IdParams,
      response: { 200: UserRecord, ...errors(400, 401, 403, 404, 409) }
    }
  }, async (request) => {
    const { tenant, user: caller } = request
    const target = tenant.users.get(request.params.id)
    rules.mayManage(caller, target)
    rules.keepAnOwner(target)
    return tenant.users.update(target.id, { deleted: true })
  })
}

export default userRoutes
