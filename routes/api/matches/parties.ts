import { and, eq, inArray, or, type SQL, sql } from 'drizzle-orm'
import { matches, mentees, mentors, users } from '../../../db/schema'
import type { User } from '../../../plugins/auth'
import type { Db } from '../../../plugins/database'
import type { ProfileSummary } from './schemas'

type Match = typeof matches.$inferSelect

/**
 * Who is in a match: its mentor's and mentee's users. Matches and meetings both decide from here
 * who is a party (may see and act) and what a match record shows of the people in it.
 */
export function matchParties (db: Db) {
  const summary = (profiles: typeof mentors | typeof mentees) => db.select({
    id: profiles.id,
    user_id: profiles.user_id,
    status: profiles.status,
    first_name: users.first_name,
    last_name: users.last_name
  }).from(profiles).innerJoin(users, eq(users.id, profiles.user_id))
    .where(eq(profiles.id, sql.placeholder('id'))).prepare()
  const mentorSummary = summary(mentors)
  const menteeSummary = summary(mentees)

  const partyToMatch = db.select({ id: matches.id }).from(matches)
    .innerJoin(mentors, eq(mentors.id, matches.mentor_id))
    .innerJoin(mentees, eq(mentees.id, matches.mentee_id))
    .where(and(
      eq(matches.id, sql.placeholder('match')),
      or(eq(mentors.user_id, sql.placeholder('user')), eq(mentees.user_id, sql.placeholder('user')))
    )).prepare()

  function summarize (statement: typeof mentorSummary, id: number): ProfileSummary {
    const row = statement.get({ id })
    // The foreign keys cascade, so a match never outlives its profiles or their users.
    if (!row) throw new Error(`profile ${id} of a match is missing`)
    const { first_name, last_name, ...profile } = row
    return { ...profile, user: { id: row.user_id, first_name, last_name } }
  }

  return {
    /** The match as the API shows it: with the mentor's and mentee's names. */
    present<M extends Match> (match: M) {
      return { ...match, mentor: summarize(mentorSummary, match.mentor_id), mentee: summarize(menteeSummary, match.mentee_id) }
    },

    isPartyTo (user: User, matchId: number): boolean {
      return partyToMatch.get({ match: matchId, user: user.id }) !== undefined
    },

    /** The matches in which the user is the mentor or the mentee (a user may hold both profiles). */
    matchesOf (user: User): SQL {
      return or(
        inArray(matches.mentor_id, db.select({ id: mentors.id }).from(mentors).where(eq(mentors.user_id, user.id))),
        inArray(matches.mentee_id, db.select({ id: mentees.id }).from(mentees).where(eq(mentees.user_id, user.id)))
      ) as SQL
    }
  }
}
