import { and, count, eq, sql } from 'drizzle-orm'
import type { Db } from '../../db/connection'
import { matches } from '../../db/schema'

/**
 * How many ACTIVE, not deleted matches hold a profile. For a mentor it is what its capacity is
 * measured against, and both the mentor profile (`active_matches`) and the match rules read it here,
 * so they never disagree. A mentee is normally held by at most one, but staff may have set a matched
 * mentee AVAILABLE by hand, so freeing one match must not free a mentee still held by another.
 */
export function activeMatchCounter (db: Db, side: 'mentor' | 'mentee') {
  const statement = db.select({ total: count() }).from(matches).where(and(
    eq(side === 'mentor' ? matches.mentor_id : matches.mentee_id, sql.placeholder('profile')),
    eq(matches.status, 'ACTIVE'),
    eq(matches.deleted, false)
  )).prepare()
  // count() always answers one row.
  return (profileId: number): number => statement.get({ profile: profileId })!.total
}
