import { and, count, eq, sql } from 'drizzle-orm'
import type { Db } from '../../db/connection'
import { matches } from '../../db/schema'

/**
 * How many ACTIVE, not deleted matches hold a mentor: what its capacity is measured against, shown
 * as `active_matches` and checked when its capacity shrinks. The lifecycle counts the same way, in
 * the read of the profiles a change touches.
 */
export function activeMatchCounter (db: Db) {
  const statement = db.select({ total: count() }).from(matches).where(and(
    eq(matches.mentor_id, sql.placeholder('profile')),
    eq(matches.status, 'ACTIVE'),
    eq(matches.deleted, false)
  )).prepare()
  // count() always answers one row.
  return (mentorId: number): number => statement.get({ profile: mentorId })!.total
}
