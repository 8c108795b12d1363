import { and, count, eq, sql } from 'drizzle-orm'
import type { Db } from '../../../plugins/database'
import { matches } from '../../../db/schema'

/**
 * How many mentees a mentor holds now: its ACTIVE, not deleted matches. Both the mentor profile
 * (`active_matches`) and the match rules (free capacity) read it here, so they never disagree.
 */
export function activeMatchCounter (db: Db) {
  const statement = db.select({ total: count() }).from(matches).where(and(
    eq(matches.mentor_id, sql.placeholder('mentor')),
    eq(matches.status, 'ACTIVE'),
    eq(matches.deleted, false)
  )).prepare()
  return (mentorId: number): number => statement.get({ mentor: mentorId })?.total ?? 0
}
