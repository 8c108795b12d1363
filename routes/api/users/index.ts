import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { eq, sql } from 'drizzle-orm'
import { users } from '../../../db/schema'
import { requireStaff } from '../../../plugins/auth'
import { errors, Id, ListQuery, sendList } from '../../schemas'
import { Role, UserRecord } from './schemas'

/** `?q=` finds the text anywhere in the full name or the email; % and _ in it are taken literally. */
function matchesText (q: string) {
  const pattern = `%${q.replace(/[\\%_]/g, (character) => '\\' + character)}%`
  const searchable = sql`coalesce(${users.first_name}, '') || ' ' || coalesce(${users.last_name}, '') || ' ' || ${users.email}`
  return sql`${searchable} LIKE ${pattern} ESCAPE '\\'`
}

const usersRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get('/', {
    schema: {
      summary: "List the organization's users (staff)",
      tags: ['users'],
      querystring: ListQuery({
        role: Type.Optional(Role),
        q: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Text found in the name or email' })),
        organization_id: Type.Optional(Id)
      }),
      response: { 200: Type.Array(UserRecord), ...errors(400, 401, 403) }
    }
  }, async (request, reply) => {
    requireStaff(request.user)
    const { role, q, organization_id, ...page } = request.query
    return sendList(reply, request.tenant.users.list({
      ...page,
      includeDeleted: request.tenant.includeDeleted(page.include_deleted),
      where: [
        role ? eq(users.role, role) : undefined,
        q ? matchesText(q) : undefined,
        organization_id ? eq(users.organization_id, organization_id) : undefined
      ]
    }))
  })
}

export default usersRoutes
