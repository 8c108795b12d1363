import type { users } from '../db/schema'
import { Scope } from './tenancy'

export type User = typeof users.$inferSelect

/** Who is acting, and the organizations they reach. The API, the pages and the CLI each make one. */
export interface Caller {
  readonly user: User
  readonly scope: Scope
}

export const callerOf = (user: User): Caller => ({ user, scope: Scope.of(user) })
