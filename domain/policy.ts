import type { Role } from '../db/schema'
import type { Caller, User } from './caller'

/**
 * Who may do what, in one place. A route declares one access level (`config.access`), which one
 * hook enforces before the handler runs; the rules about a particular record (its owner, the
 * parties of a match) are the predicates below, which the domain modules apply.
 */
export const ACCESS_LEVELS = ['public', 'member', 'staff', 'owner', 'administrator'] as const
export type Access = (typeof ACCESS_LEVELS)[number]

/** The roles each level above `member` admits; `public` needs nobody, `member` anyone signed in. */
const ROLES_OF: Record<Exclude<Access, 'public' | 'member'>, readonly Role[]> = {
  staff: ['OWNER', 'MANAGER', 'ADMINISTRATOR'],
  owner: ['OWNER', 'ADMINISTRATOR'],
  administrator: ['ADMINISTRATOR']
}

/** In words, for the API document. */
export const ACCESS_DESCRIPTIONS: Record<Access, string> = {
  public: 'anyone, without a token',
  member: 'any signed-in user (what they see of a record depends on their part in it)',
  staff: 'staff: an OWNER or MANAGER of the organization, or the ADMINISTRATOR',
  owner: 'an OWNER of the organization, or the ADMINISTRATOR',
  administrator: 'the ADMINISTRATOR of the installation'
}

/** Whether a signed-in user may call a route of this access level. */
export function admits (access: Exclude<Access, 'public'>, user: User): boolean {
  return access === 'member' || ROLES_OF[access].includes(user.role)
}

/**
 * Staff: OWNER or MANAGER of the caller's organization, or the ADMINISTRATOR (the scope hides the rest).
 * The scheduled jobs act as staff of one organization through `systemCaller` (caller.ts).
 */
export const isStaff = (caller: Caller): boolean => admits('staff', caller.user)

export const isOwnerOrAdministrator = (caller: Caller): boolean => admits('owner', caller.user)

export const isSelf = (caller: Caller, userId: number): boolean => caller.user.id === userId

/** A record that belongs to a person (a profile, an experience, a notification) is theirs or staff's. */
export const ownsOrIsStaff = (caller: Caller, record: { user_id: number }): boolean =>
  isSelf(caller, record.user_id) || isStaff(caller)

/** The people of a match, by user: the mentor's and the mentee's. */
export interface MatchParties { mentorUserId: number, menteeUserId: number }

export const isPartyTo = (caller: Caller, parties: MatchParties): boolean =>
  isSelf(caller, parties.mentorUserId) || isSelf(caller, parties.menteeUserId)

/** Soft-deleted records show only to staff who ask for them (`?include_deleted=true`). */
export const seesDeleted = (caller: Caller, asked: boolean | undefined): boolean => Boolean(asked) && isStaff(caller)

/** The roles a caller may hand out, by invitation or by changing someone's role. */
export function mayGrant (caller: Caller, role: Role): boolean {
  if (role === 'ADMINISTRATOR') return caller.user.role === 'ADMINISTRATOR'
  if (role === 'OWNER') return isOwnerOrAdministrator(caller)
  return isStaff(caller)
}
