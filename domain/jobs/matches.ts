import { and, eq, isNotNull, lte, max, sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/sqlite-core'
import { matches, meetings, mentees, mentors, organizations, users } from '../../db/schema'
import { systemCaller } from '../caller'
import { DAY_MS, wholeDaysSince } from '../dates'
import type { Matches } from '../matches'
import { notify } from '../notifications'
import { preparedOnFirstUse } from '../prepared'
import { immediately, type Store } from '../tenancy'
import type { Deeds } from './deeds'
import { JOB_MESSAGES, nameOf } from './messages'
import { staffNotices } from './staff'

export interface JobLog {
  info (details: object, message: string): void
  error (details: object, message: string): void
}

/** The scheduled work on matches: nudging the quiet ones, completing those whose end date has passed. */
export function createMatchJobs (store: Store, deeds: Deeds, lifecycle: Matches, log: JobLog) {
  const { db, clock } = store
  const mentorUser = alias(users, 'mentor_user')
  const menteeUser = alias(users, 'mentee_user')
  const lastMeeting = db.select({ match_id: meetings.match_id, at: max(meetings.meeting_date).as('at') }).from(meetings)
    .where(eq(meetings.deleted, false)).groupBy(meetings.match_id).as('last_meeting')

  // Across organizations: the jobs work for every organization, each with its own settings.
  const activeMatches = preparedOnFirstUse(() => db.select({
    id: matches.id,
    organization_id: matches.organization_id,
    started: sql<string>`coalesce(${matches.start_date}, ${matches.created_at})`,
    lastMeeting: lastMeeting.at,
    inactiveDays: organizations.inactive_match_days,
    mentor: { id: mentorUser.id, first_name: mentorUser.first_name, last_name: mentorUser.last_name, email: mentorUser.email },
    mentee: { id: menteeUser.id, first_name: menteeUser.first_name, last_name: menteeUser.last_name, email: menteeUser.email }
  }).from(matches)
    .innerJoin(organizations, eq(organizations.id, matches.organization_id))
    .innerJoin(mentors, eq(mentors.id, matches.mentor_id))
    .innerJoin(mentees, eq(mentees.id, matches.mentee_id))
    .innerJoin(mentorUser, eq(mentorUser.id, mentors.user_id))
    .innerJoin(menteeUser, eq(menteeUser.id, mentees.user_id))
    .leftJoin(lastMeeting, eq(lastMeeting.match_id, matches.id))
    .where(and(eq(matches.status, 'ACTIVE'), eq(matches.deleted, false))).prepare())

  const endedMatches = preparedOnFirstUse(() => db.select({ id: matches.id, organization_id: matches.organization_id }).from(matches)
    .where(and(eq(matches.status, 'ACTIVE'), eq(matches.deleted, false), isNotNull(matches.end_date),
      lte(matches.end_date, sql.placeholder('now')))).orderBy(matches.id).prepare())

  const toStaff = staffNotices(store)

  return {
    /**
     * An ACTIVE match quiet for `inactive_match_days` (since its last meeting, or its start when it
     * has none): both people are nudged and the organization's staff told. Once per period: the
     * period is the quiet spell (when it began) and how many whole `inactive_match_days` it has
     * lasted, so a match quiet for 30 days is nudged on day 30, again on day 60, and a meeting
     * logged in between starts a new spell.
     */
    nudgeInactive (): number {
      const now = clock.now()
      // The matches are read in the transaction that nudges: one cancelled, or given a meeting, by
      // another process meanwhile is not nudged.
      return immediately(store, () => {
        let nudged = 0
        for (const match of activeMatches.all()) {
          const quietSince = match.lastMeeting && match.lastMeeting > match.started ? match.lastMeeting : match.started
          const periods = Math.floor((now.getTime() - Date.parse(quietSince)) / (match.inactiveDays * DAY_MS))
          if (periods < 1) continue
          if (!deeds.firstTime({ organization_id: match.organization_id, job: 'nudge-inactive-match', subject_id: match.id, period: `${quietSince}#${periods}` })) continue
          const days = wholeDaysSince(quietSince, now)
          const party = { organization_id: match.organization_id, match_id: match.id, content: JOB_MESSAGES.inactiveParty(days) }
          notify(store, [
            { ...party, user_id: match.mentor.id, about_user_id: match.mentee.id },
            { ...party, user_id: match.mentee.id, about_user_id: match.mentor.id },
            ...toStaff(match.organization_id, JOB_MESSAGES.inactiveStaff(nameOf(match.mentor), nameOf(match.mentee), days),
              { match_id: match.id, about_user_id: match.mentee.id })
          ])
          nudged++
        }
        return nudged
      })
    },

    /**
     * An ACTIVE match whose `end_date` has passed is completed through the match lifecycle, as staff
     * would complete it: the same statuses and notifications. A match the lifecycle refuses to
     * complete is logged and left for the next run; the others go on.
     */
    completeEnded (): number {
      // The matches are read in the transaction that completes them: one cancelled, or given a later
      // end date, by another process meanwhile is left as it is. Each completion is a savepoint of
      // its own, so that one the lifecycle refuses rolls back alone.
      const completed = immediately(store, () => {
        let count = 0
        for (const match of endedMatches.all({ now: clock.now().toISOString() })) {
          try {
            immediately(store, () => {
              if (!deeds.firstTime({ organization_id: match.organization_id, job: 'complete-ended-match', subject_id: match.id })) return
              lifecycle.update(systemCaller(match.organization_id), match.id, { status: 'COMPLETED' })
              count++
            })
          } catch (error) {
            log.error({ err: error, match: match.id }, 'could not complete a match whose end date has passed')
          }
        }
        return count
      })
      if (completed > 0) log.info({ completed }, 'completed the matches whose end date has passed')
      return completed
    }
  }
}
