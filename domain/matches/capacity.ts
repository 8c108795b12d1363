import { and, count, eq, type Placeholder, type SQL, sql } from 'drizzle-orm'
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core'
import type { Db } from '../../db/connection'
import { matches } from '../../db/schema'
import { preparedOnFirstUse } from '../prepared'
import { inJsonArray } from '../tenancy'

/** A match holds a place while it is ACTIVE and not deleted. */
const holding = and(eq(matches.status, 'ACTIVE'), eq(matches.deleted, false))

/** The matches that hold a profile's place: the condition on the table. */
export const holdingPlace = (column: typeof matches.mentor_id | typeof matches.mentee_id, profile: SQLiteColumn | Placeholder): SQL =>
  and(eq(column, profile), holding)!

/** The matches that hold a profile now (a correlated subquery of a profile read). */
export const activeMatchesOf = (column: typeof matches.mentor_id | typeof matches.mentee_id, profileId: SQLiteColumn) =>
  sql<number>`(SELECT count(*) FROM ${matches} WHERE ${holdingPlace(column, profileId)})`

/**
 * How many matches hold a mentor: what its capacity is measured against, shown as `active_matches`
 * and checked when its capacity shrinks. The lifecycle counts with the same condition.
 */
export function activeMatchCounter (db: Db) {
  const statement = preparedOnFirstUse(() => db.select({ total: count() }).from(matches)
    .where(holdingPlace(matches.mentor_id, sql.placeholder('profile'))).prepare())
  // count() always answers one row.
  return (mentorId: number): number => statement.get({ profile: mentorId })!.total
}

/**
 * `activeMatchCounter` for a page of mentors: one statement counts the matches holding each of
 * them (json_each of the page's ids), where counting row by row ran one per mentor.
 */
export function activeMatchesOfPage (db: Db) {
  const statement = preparedOnFirstUse(() => db.select({ mentor: matches.mentor_id, total: count() }).from(matches)
    .where(and(inJsonArray(matches.mentor_id, 'mentors'), holding))
    .groupBy(matches.mentor_id).prepare())
  return (mentorIds: number[]): Map<number, number> =>
    new Map(statement.all({ mentors: JSON.stringify(mentorIds) }).map(({ mentor, total }) => [mentor, total]))
}
