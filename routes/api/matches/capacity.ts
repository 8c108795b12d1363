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

/**
 * How many ACTIVE, not deleted matches a mentee is in: normally at most one, but staff may have set
 * a matched mentee AVAILABLE by hand, so freeing one match must not free a mentee still held by another.
 */
export function menteeActiveMatchCounter (db: Db) {
  const statement = db.select({ total: count() }).from(matches).where(and(
    eq(matches.mentee_id, sql.placeholder('mentee')),
    eq(matches.status, 'ACTIVE'),
    eq(matches.deleted, false)
  )).prepare()
  return (menteeId: number): number => statement.get({ mentee: menteeId })?.total ?? 0
}
