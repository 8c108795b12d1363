import type { users } from '../db/schema'
import { Scope } from './tenancy'

export type User = typeof users.$inferSelect

/** Who is acting, and the organizations they reach. The API, the pages and the CLI each make one. */
export interface Caller {
  readonly user: User
  readonly scope: Scope
}

export const callerOf = (user: User): Caller => ({ user, scope: Scope.of(user) })

/**
 * The program itself, acting for one organization: what the scheduled jobs hand the rules when
 * they do what staff would (completing a match whose end date has passed). It has staff rights
 * (MANAGER, never OWNER) inside that organization's scope and no more; its user id 0 names no row,
 * so it is nobody's self, owns no record and is party to no match. Never made from a request.
 */
export const systemCaller = (organizationId: number): Caller => ({
  scope: Scope.organization(organizationId),
  user: {
    id: 0,
    organization_id: organizationId,
    role: 'MANAGER',
    email: 'mentormatchr@localhost',
    password_hash: null,
    first_name: 'MentorMatchr',
    last_name: null,
    street: null,
    city: null,
    state: null,
    zipcode: null,
    country: null,
    avatar_url: null,
    github_id: null,
    github_login: null,
    email_notifications: 'NONE',
    session_generation: 0,
    deleted: false,
    created_at: new Date(0).toISOString(),
    updated_at: new Date(0).toISOString()
  }
})
