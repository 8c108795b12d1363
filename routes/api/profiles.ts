import { eq, sql } from 'drizzle-orm'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { ListOptions } from '../../db/repository'
import { PROFILE_STATUSES, type ProfileStatus, type Role, users } from '../../db/schema'
import { isStaff, type User } from '../../plugins/auth'
import { badRequest, conflict, forbidden, isUniqueViolation } from '../../plugins/errors'
import type { Tenant } from '../../plugins/tenancy'
import { StringEnum } from '../schemas'

/**
 * The rules shared by the records a user owns: mentor and mentee profiles, and experiences. Who a
 * new record belongs to, who may change it, the soft-delete cycle and, for profiles, the status
 * lifecycle with the role promotion on approval.
 */

export const ProfileStatusSchema = StringEnum(PROFILE_STATUSES, {
  description: 'PENDING: waiting for staff; AVAILABLE: approved and open to matching; UNAVAILABLE: full or paused'
})


export interface OwnedRow {
  id: number
  organization_id: number
  user_id: number
  deleted: boolean
}

interface Writable {
  user_id?: number
  organization_id?: number | null
  status?: ProfileStatus
  deleted?: boolean
}

/** The part of a tenant table (`request.tenant.mentors`, ...) these rules use. */
export interface OwnedStore<Row extends OwnedRow> {
  find (id: number, includeDeleted?: boolean): Row | undefined
  get (id: number, includeDeleted?: boolean): Row
  list (options: ListOptions): { rows: Row[], total: number }
  insert (values: Writable): Row
  update (id: number, values: Writable): Row
  remove (id: number): void
}

export interface OwnedResource<Row extends OwnedRow, Output> {
  store: (tenant: Tenant) => OwnedStore<Row>
  present: (row: Row) => Output
  /** The 409 message when the database refuses a duplicate (a second profile, a repeated name). */
  duplicate: (values: { user_id: number } & Record<string, unknown>) => string
  /** Profiles only: the role a USER takes once staff approve the profile. */
  promotesTo?: Extract<Role, 'MENTOR' | 'MENTEE'>
}

interface PageQuery {
  limit: number
  offset: number
  include_deleted: boolean
}

/** Profiles and experiences embed their user's summary; one prepared statement serves every row. */
export function userSummaries (fastify: FastifyInstance) {
  const byId = fastify.db.select({
    id: users.id,
    first_name: users.first_name,
    last_name: users.last_name,
    email: users.email,
    avatar_url: users.avatar_url
  }).from(users).where(eq(users.id, sql.placeholder('id'))).prepare()
  // The profile's foreign key cascades on the user's erasure, so the user is always there.
  return (userId: number) => byId.get({ id: userId })!
}

/** Whom a new record is for: the caller, or (staff only) the user named by `user_id`. */
function ownerOfNew (request: FastifyRequest, userId: number | undefined): User & { organization_id: number } {
  const { user: caller, tenant } = request
  const owner = userId === undefined || userId === caller.id ? caller : tenant.users.find(userId)
  if (owner !== caller && !isStaff(caller)) throw forbidden('Only staff create records for another user')
  if (!owner) throw badRequest(`user_id: there is no user ${userId} in your organization`)
  if (owner.organization_id === null) {
    throw badRequest('user_id is required: an ADMINISTRATOR belongs to no organization, so name the user')
  }
  return owner as User & { organization_id: number }
}

/** The owner of a record, or staff of its organization. */
function mayManage (caller: User, row: OwnedRow): void {
  if (row.user_id !== caller.id && !isStaff(caller, row.organization_id)) throw forbidden()
}

function requireStaffOf (caller: User, row: OwnedRow, message?: string): void {
  if (!isStaff(caller, row.organization_id)) throw forbidden(message)
}

const STATUS_BY_STAFF_ONLY = 'Only staff set the status of a profile'

/**
 * The list, read, create, update, delete and erase of one kind of owned record. `check` hooks let a
 * route refuse a write on its own grounds (a foreign mentor, a capacity below the active matches)
 * before anything is written.
 */
export function ownedResource<Row extends OwnedRow, Output> (fastify: FastifyInstance, resource: OwnedResource<Row, Output>) {
  const { store, present, promotesTo } = resource

  /** Runs the writes in one transaction; a UNIQUE refusal becomes a 409 that says what exists. */
  function write (values: { user_id: number } & Record<string, unknown>, work: () => Row): Row {
    try {
      return fastify.db.transaction(work)
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict(resource.duplicate(values))
      throw error
    }
  }

  /** A USER whose profile staff approve becomes a MENTOR or MENTEE, in the caller's transaction. */
  function promote (tenant: Tenant, userId: number): void {
    const user = tenant.users.get(userId, true)
    if (promotesTo && user.role === 'USER') tenant.users.update(user.id, { role: promotesTo })
  }

  return {
    list (request: FastifyRequest, query: PageQuery, where: ListOptions['where']) {
      const { tenant } = request
      const { rows, total } = store(tenant).list({
        limit: query.limit,
        offset: query.offset,
        includeDeleted: tenant.includeDeleted(query.include_deleted),
        where
      })
      return { rows: rows.map(present), total }
    },

    read (request: FastifyRequest, id: number, includeDeleted: boolean): Output {
      const { tenant } = request
      return present(store(tenant).get(id, tenant.includeDeleted(includeDeleted)))
    },

    create<V extends { user_id?: number, status?: ProfileStatus }> (
      request: FastifyRequest, body: V, check?: (organizationId: number) => void
    ): Output {
      const { user_id, status, ...values } = body
      const owner = ownerOfNew(request, user_id)
      const staff = isStaff(request.user, owner.organization_id)
      if (status !== undefined && !staff) throw forbidden(STATUS_BY_STAFF_ONLY)
      check?.(owner.organization_id)
      // A profile staff create is approved at once; one a user makes for themself waits for staff.
      const initial = promotesTo && (status ?? (staff ? 'AVAILABLE' : 'PENDING'))
      return present(write({ ...values, user_id: owner.id }, () => {
        const row = store(request.tenant).insert({
          ...values,
          user_id: owner.id,
          organization_id: owner.organization_id,
          ...(initial && { status: initial })
        })
        if (initial && initial !== 'PENDING') promote(request.tenant, owner.id)
        return row
      }))
    },

    update<V extends { status?: ProfileStatus, deleted?: boolean }> (
      request: FastifyRequest, id: number, body: V, check?: (row: Row) => void
    ): Output {
      const { tenant, user: caller } = request
      const { status, deleted, ...values } = body
      // Only staff see a soft-deleted record, so only they reach one to restore it.
      const row = store(tenant).get(id, deleted === false && tenant.includeDeleted(true))
      mayManage(caller, row)
      const current = (row as Partial<{ status: ProfileStatus }>).status
      if (status !== undefined) {
        requireStaffOf(caller, row, STATUS_BY_STAFF_ONLY)
        if (status === 'PENDING' && current !== 'PENDING') {
          throw conflict('An approved profile cannot return to PENDING: set it UNAVAILABLE to pause it')
        }
      }
      check?.(row)
      const approved = current === 'PENDING' && status !== undefined && status !== 'PENDING'
      return present(write({ ...row, ...values }, () => {
        const updated = store(tenant).update(row.id, { ...values, status, deleted })
        if (approved) promote(tenant, row.user_id)
        return updated
      }))
    },

    softDelete (request: FastifyRequest, id: number): Output {
      const { tenant } = request
      const row = store(tenant).get(id)
      mayManage(request.user, row)
      return present(store(tenant).update(row.id, { deleted: true }))
    },

    remove (request: FastifyRequest, id: number) {
      const { tenant } = request
      const row = store(tenant).get(id, tenant.includeDeleted(true))
      requireStaffOf(request.user, row)
      store(tenant).remove(row.id)
      return { id: row.id, removed: true as const }
    }
  }
}
