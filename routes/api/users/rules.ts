import { and, count, eq, ne, sql } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import { type Role, users } from '../../../db/schema'
import { isStaff, type User } from '../../../plugins/auth'
import { conflict, forbidden } from '../../../plugins/errors'

/** The rules of API.md section 3 about who may change whom. */
export function userRules (fastify: FastifyInstance) {
  const otherActiveOwners = fastify.db.select({ total: count() }).from(users).where(and(
    eq(users.organization_id, sql.placeholder('organization')),
    eq(users.role, 'OWNER'),
    eq(users.deleted, false),
    ne(users.id, sql.placeholder('id'))
  )).prepare()

  return {
    /** An organization always keeps an OWNER: `target` may stop being one only if another remains. */
    keepAnOwner (target: User): void {
      if (target.role !== 'OWNER') return
      const [row] = otherActiveOwners.all({ organization: target.organization_id, id: target.id })
      if (!row?.total) throw conflict('An organization must keep at least one OWNER: make someone else OWNER first')
    },

    /** The user themself, or staff of their organization. */
    mayManage (caller: User, target: User): void {
      if (caller.id !== target.id && !isStaff(caller, target.organization_id)) throw forbidden()
      if (caller.id !== target.id && caller.role === 'MANAGER' && target.role === 'OWNER') {
        throw forbidden('A MANAGER cannot act on an OWNER')
      }
    },

    mayChangeRole (caller: User, target: User, role: Role): void {
      if (caller.id === target.id) throw forbidden('Nobody changes their own role')
      if (!isStaff(caller, target.organization_id)) throw forbidden()
      if (caller.role === 'MANAGER' && (role === 'OWNER' || target.role === 'OWNER')) {
        throw forbidden('Only an OWNER grants or takes away OWNER')
      }
      if ((role === 'ADMINISTRATOR') !== (target.role === 'ADMINISTRATOR') && caller.role !== 'ADMINISTRATOR') {
        throw forbidden('Only an ADMINISTRATOR grants ADMINISTRATOR')
      }
    }
  }
}
