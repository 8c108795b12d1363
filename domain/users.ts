import { and, count, eq, ne, sql } from 'drizzle-orm'
import { type EmailNotifications, type Role, users } from '../db/schema'
import type { Caller, User } from './caller'
import { conflict, forbidden, invalid } from './errors'
import { hashPassword, passwordWeakness, verifyPassword } from './passwords'
import { isSelf, isStaff, mayGrant, seesDeleted } from './policy'
import { preparedOnFirstUse } from './prepared'
import { immediately, type Page, type Store } from './tenancy'

export interface UserQuery extends Page {
  include_deleted?: boolean
  role?: Role
  /** Text found anywhere in the full name or the email. */
  q?: string
  /** The ADMINISTRATOR narrows the list to one organization. */
  organization_id?: number
}

export interface UserDetails {
  first_name?: string | null
  last_name?: string | null
  street?: string | null
  city?: string | null
  state?: string | null
  zipcode?: string | null
  country?: string | null
  avatar_url?: string | null
  email?: string
}

export interface UserChanges extends UserDetails {
  password?: string
  current_password?: string
  role?: Role
  email_notifications?: EmailNotifications
  deleted?: boolean
}

/** `%` and `_` in the text are taken literally. */
function containsText (q: string) {
  const pattern = `%${q.replace(/[\\%_]/g, (character) => '\\' + character)}%`
  const searchable = sql`coalesce(${users.first_name}, '') || ' ' || coalesce(${users.last_name}, '') || ' ' || ${users.email}`
  return sql`${searchable} LIKE ${pattern} ESCAPE '\\'`
}

/** What members see of each other: no email, address or other contact. */
export type PublicUser = Pick<User, 'id' | 'first_name' | 'last_name' | 'avatar_url' | 'role'>

const publicView = ({ id, first_name, last_name, avatar_url, role }: User): PublicUser => ({ id, first_name, last_name, avatar_url, role })

/** What a change does to how the user signs in: a new password, a new email, or nothing. */
function credentialChanged (target: User, changes: UserChanges): 'password' | 'email' | undefined {
  if (changes.password !== undefined) return 'password'
  if (changes.email !== undefined && changes.email !== target.email) return 'email'
  return undefined
}

/** The people of an organization: who may change whom, and an organization never without an OWNER. */
export function createUsers (store: Store) {
  const { tables } = store
  const otherActiveOwners = preparedOnFirstUse(() => store.db.select({ total: count() }).from(users).where(and(
    eq(users.organization_id, sql.placeholder('organization')),
    eq(users.role, 'OWNER'),
    eq(users.deleted, false),
    ne(users.id, sql.placeholder('id'))
  )).prepare())

  /** `target` may stop being an active OWNER only if another one remains. */
  function keepAnOwner (target: User): void {
    if (target.role !== 'OWNER') return
    const [row] = otherActiveOwners.all({ organization: target.organization_id, id: target.id })
    if (!row?.total) throw conflict('An organization must keep at least one OWNER: make someone else OWNER first')
  }

  /** The user themself, or staff; a MANAGER never acts on an OWNER. */
  function mayManage (caller: Caller, target: User): void {
    if (isSelf(caller, target.id)) return
    if (!isStaff(caller)) throw forbidden()
    if (caller.user.role === 'MANAGER' && target.role === 'OWNER') throw forbidden('A MANAGER cannot act on an OWNER')
  }

  function mayChangeRole (caller: Caller, target: User, role: Role): void {
    if (isSelf(caller, target.id)) throw forbidden('Nobody changes their own role')
    if (!isStaff(caller)) throw forbidden()
    if ((role === 'OWNER' || target.role === 'OWNER') && !mayGrant(caller, 'OWNER')) {
      throw forbidden('Only an OWNER grants or takes away OWNER')
    }
    if ((role === 'ADMINISTRATOR') !== (target.role === 'ADMINISTRATOR') && !mayGrant(caller, 'ADMINISTRATOR')) {
      throw forbidden('Only an ADMINISTRATOR grants ADMINISTRATOR')
    }
  }

  /** Every rule of a change that can be decided from the user as stored. */
  function checkChanges (caller: Caller, target: User, changes: UserChanges): void {
    mayManage(caller, target)
    if (changes.role !== undefined && changes.role !== target.role) {
      mayChangeRole(caller, target, changes.role)
      keepAnOwner(target)
    }
    if (changes.email_notifications !== undefined && changes.email_notifications !== target.email_notifications &&
      !isSelf(caller, target.id)) {
      throw forbidden('Only the person chooses how they receive email')
    }
    if (changes.deleted !== undefined && changes.deleted !== target.deleted) {
      if (!isStaff(caller)) throw forbidden('Only staff delete or restore users this way')
      if (changes.deleted) keepAnOwner(target)
    }
    // Sign-in follows the email (GitHub links accounts by verified email), so like the password
    // only the person changes it, proving they are themself.
    const credential = credentialChanged(target, changes)
    if (credential === undefined) {
      if (changes.current_password !== undefined) throw invalid('current_password goes with a new password or email')
      return
    }
    if (!isSelf(caller, target.id)) throw forbidden(`Only the user themself changes their ${credential}`)
    if (changes.current_password === undefined) throw invalid(`current_password is required to change the ${credential}`)
  }

  return {
    keepAnOwner,

    list (caller: Caller, { role, q, organization_id, include_deleted, ...page }: UserQuery) {
      return tables.users.list(caller.scope, {
        ...page,
        includeDeleted: seesDeleted(caller, include_deleted),
        where: [
          role ? eq(users.role, role) : undefined,
          q ? containsText(q) : undefined,
          organization_id ? eq(users.organization_id, organization_id) : undefined
        ]
      })
    },

    /** The whole record for the user themself and staff; the public view for other members. */
    get (caller: Caller, id: number, includeDeleted?: boolean): User | PublicUser {
      const user = tables.users.get(caller.scope, id, seesDeleted(caller, includeDeleted))
      return isSelf(caller, user.id) || isStaff(caller) ? user : publicView(user)
    },

    /**
     * Details, role, deletion, and the caller's own password and email. The current password is
     * checked and a new one hashed first (slow work); the user is then read again and the rules
     * checked again, with the write, in one IMMEDIATE transaction, so no other write can slip
     * between check and write. A password changed during the slow work makes the one checked stale.
     */
    async update (caller: Caller, id: number, changes: UserChanges): Promise<User> {
      const { password, current_password, role, deleted, ...details } = changes
      const includeDeleted = deleted === false && seesDeleted(caller, true)
      const target = tables.users.get(caller.scope, id, includeDeleted)
      checkChanges(caller, target, changes)
      if (current_password !== undefined && !(await verifyPassword(current_password, target.password_hash))) {
        throw forbidden('current_password is wrong')
      }
      if (password !== undefined) {
        const weakness = await passwordWeakness(password, [target.email, changes.email, target.first_name, target.last_name])
        if (weakness) throw invalid(weakness)
      }
      const password_hash = password === undefined ? undefined : await hashPassword(password)
      return immediately(store, () => {
        const current = tables.users.get(caller.scope, target.id, includeDeleted)
        if (current_password !== undefined && current.password_hash !== target.password_hash) throw forbidden('current_password is wrong')
        checkChanges(caller, current, changes)
        return tables.users.update(caller.scope, target.id, { ...details, role, deleted, password_hash })
      })
    },

    softDelete (caller: Caller, id: number): User {
      return tables.users.softDelete(caller.scope, id, (target) => {
        mayManage(caller, target)
        keepAnOwner(target)
      })
    },

    /** Erases the user with their profiles, experiences, notifications, and those profiles' matches and meetings. */
    erase (caller: Caller, id: number): void {
      immediately(store, () => {
        const target = tables.users.get(caller.scope, id, true)
        keepAnOwner(target)
        tables.users.remove(caller.scope, target.id)
      })
    }
  }
}

export type Users = ReturnType<typeof createUsers>
