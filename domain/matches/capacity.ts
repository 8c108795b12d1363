import { and, count, eq, type Placeholder, type SQL, sql } from 'drizzle-orm'
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core'
import type { Db } from '../../db/connection'
import { matches } from '../../db/schema'

/** A match holds a profile's place while it is ACTIVE and not deleted: the condition on the table. */
export const holdingPlace = (column: typeof matches.mentor_id | typeof matches.mentee_id, profile: SQLiteColumn | Placeholder): SQL =>
  and(eq(column, profile), eq(matches.status, 'ACTIVE'), eq(matches.deleted, false))!

/** The matches that hold a profile now (a correlated subquery of a profile read). */
export const activeMatchesOf = (column: typeof matches.mentor_id | typeof matches.mentee_id, profileId: SQLiteColumn) =>
  sql<number>`(SELECT count(*) FROM ${matches} WHERE ${holdingPlace(column, profileId)})`

/**
 * How many matches hold a mentor: what its capacity is measured against, shown as `active_matches`
 * and checked when its capacity shrinks. The lifecycle counts with the same condition.
 */
export function activeMatchCounter (db: Db) {
  const statement = db.select({ total: count() }).from(matches)
    .where(holdingPlace(matches.mentor_id, sql.placeholder('profile'))).prepare()
  // count() always answers one row.
  return (mentorId: number): number => statement.get({ profile: mentorId })!.total
}
