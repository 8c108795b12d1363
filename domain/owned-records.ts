import type { SQL } from 'drizzle-orm'
import type { ProfileStatus, Role } from '../db/schema'
import type { Caller, User } from './caller'
import { conflict, forbidden, invalid, refusingDuplicates } from './errors'
import { isStaff, ownsOrIsStaff, seesDeleted } from './policy'
import { immediately, type Page, type Scope, type Store } from './tenancy'

/** A record that belongs to one person: a mentor or mentee profile, an experience. */
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

/** The part of a table (`tables.mentors`, ...) these rules use. */
interface OwnedTable<Row extends OwnedRow> {
  get (scope: Scope, id: number, includeDeleted?: boolean): Row
  list (scope: Scope, options: Page & { where?: Array<SQL | undefined>, includeDeleted?: boolean }): { rows: Row[], total: number }
  insert (scope: Scope, values: Writable): Row
  update (scope: Scope, id: number, values: Writable): Row
  softDelete (scope: Scope, id: number, mayDelete: (row: Row) => void): Row
  remove (scope: Scope, id: number): void
}

export interface OwnedKind<Row extends OwnedRow, View> {
  table: OwnedTable<Row>
  /** How the API shows a page of records (one statement per page, not per row, for what they embed). */
  presentPage: (rows: Row[]) => View[]
  /** The 409 message when the database refuses a duplicate (a second profile, a repeated name). */
  duplicate: (values: { user_id: number } & Record<string, unknown>) => string
  /** Profiles only: the role a USER takes once staff approve the profile. */
  promotesTo?: Extract<Role, 'MENTOR' | 'MENTEE'>
  /** What must happen before a record is deleted or erased (a profile ends its live matches). */
  leaving?: (caller: Caller, row: Row) => void
}

export interface PageQuery extends Page {
  include_deleted?: boolean
}

const STATUS_BY_STAFF_ONLY = 'Only staff set the status of a profile'

/**
 * The rules shared by the records a person owns: who a new record belongs to, who may change it,
 * the soft-delete cycle and, for profiles, the status lifecycle with the role promotion on approval.
 * `check` lets a kind refuse a write on its own grounds (a foreign mentor, a capacity below the
 * active matches), inside the transaction of the write.
 */
export function ownedRecords<Row extends OwnedRow, View> (store: Store, kind: OwnedKind<Row, View>) {
  const { tables } = store
  const { table, presentPage, promotesTo } = kind
  const present = (row: Row): View => presentPage([row])[0]!

  /** Whom a new record is for: the caller, or (staff only) the user named by `user_id`. */
  function ownerOfNew (caller: Caller, userId: number | undefined): User & { organization_id: number } {
    const owner = userId === undefined || userId === caller.user.id ? caller.user : tables.users.find(caller.scope, userId)
    if (owner !== caller.user && !isStaff(caller)) throw forbidden('Only staff create records for another user')
    if (!owner) throw invalid(`user_id: there is no user ${userId} in your organization`)
    if (owner.organization_id === null) {
      throw invalid('user_id is required: an ADMINISTRATOR belongs to no organization, so name the user')
    }
    return { ...owner, organization_id: owner.organization_id }
  }

  /** A USER whose profile staff approve becomes a MENTOR or MENTEE, in the same transaction. */
  function promote (caller: Caller, userId: number): void {
    const user = tables.users.get(caller.scope, userId, true)
    if (promotesTo && user.role === 'USER') tables.users.update(caller.scope, user.id, { role: promotesTo })
  }

  function mayChange (caller: Caller, row: Row): void {
    if (!ownsOrIsStaff(caller, row)) throw forbidden()
  }

  return {
    list (caller: Caller, { include_deleted, ...page }: PageQuery, where: Array<SQL | undefined>) {
      const { rows, total } = table.list(caller.scope, { ...page, includeDeleted: seesDeleted(caller, include_deleted), where })
      return { rows: presentPage(rows), total }
    },

    get (caller: Caller, id: number, includeDeleted?: boolean): View {
      return present(table.get(caller.scope, id, seesDeleted(caller, includeDeleted)))
    },

    create<V extends { user_id?: number, status?: ProfileStatus }> (caller: Caller, input: V, check?: (organizationId: number) => void): View {
      const { user_id, status, ...values } = input
      return present(immediately(store, () => {
        // Whom it is for is read with the write: a user deleted meanwhile gets no record.
        const owner = ownerOfNew(caller, user_id)
        const staff = isStaff(caller)
        if (status !== undefined && !staff) throw forbidden(STATUS_BY_STAFF_ONLY)
        // A profile staff create is approved at once; one a user makes for themself waits for staff.
        const initial = promotesTo && (status ?? (staff ? 'AVAILABLE' : 'PENDING'))
        check?.(owner.organization_id)
        const row = refusingDuplicates(() => table.insert(caller.scope, {
          ...values,
          user_id: owner.id,
          organization_id: owner.organization_id,
          ...(initial && { status: initial })
        }), () => kind.duplicate({ ...values, user_id: owner.id }))
        if (initial && initial !== 'PENDING') promote(caller, owner.id)
        return row
      }))
    },

    update<V extends { status?: ProfileStatus, deleted?: boolean }> (caller: Caller, id: number, changes: V, check?: (row: Row) => void): View {
      const { status, deleted, ...values } = changes
      return present(immediately(store, () => {
        // Only staff see a soft-deleted record, so only they reach one to restore it.
        const row = table.get(caller.scope, id, deleted === false && seesDeleted(caller, true))
        mayChange(caller, row)
        const current = (row as Partial<{ status: ProfileStatus }>).status
        if (status !== undefined) {
          if (!isStaff(caller)) throw forbidden(STATUS_BY_STAFF_ONLY)
          if (status === 'PENDING' && current !== 'PENDING') {
            throw conflict('An approved profile cannot return to PENDING: set it UNAVAILABLE to pause it')
          }
        }
        check?.(row)
        if (deleted === true && !row.deleted) kind.leaving?.(caller, row)
        const updated = refusingDuplicates(() => table.update(caller.scope, row.id, { ...values, status, deleted }),
          () => kind.duplicate({ ...row, ...values }))
        if (current === 'PENDING' && status !== undefined && status !== 'PENDING') promote(caller, row.user_id)
        return updated
      }))
    },

    softDelete (caller: Caller, id: number): View {
      return present(table.softDelete(caller.scope, id, (row) => {
        mayChange(caller, row)
        kind.leaving?.(caller, row)
      }))
    },

    erase (caller: Caller, id: number): void {
      immediately(store, () => {
        const row = table.get(caller.scope, id, seesDeleted(caller, true))
        kind.leaving?.(caller, row)
        table.remove(caller.scope, row.id)
      })
    }
  }
}
