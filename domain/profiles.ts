import { and, eq, getTableColumns, type SQL, sql } from 'drizzle-orm'
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core'
import { matches as matchesTable, mentees, mentors, type ProfileStatus, users } from '../db/schema'
import type { Caller } from './caller'
import { conflict, invalid, notFound } from './errors'
import type { Matches } from './matches'
import { activeMatchCounter, activeMatchesOf, activeMatchesOfPage, holdingPlace } from './matches/capacity'
import { ownedRecords, type PageQuery } from './owned-records'
import { seesDeleted } from './policy'
import { preparedOnFirstUse } from './prepared'
import { inJsonArray, type Scope, scopedRead, type Store } from './tenancy'

export type Mentor = typeof mentors.$inferSelect
export type Mentee = typeof mentees.$inferSelect

export interface ProfileQuery extends PageQuery {
  status?: ProfileStatus
  user_id?: number
}

export interface MentorFields {
  capacity?: number
  bio?: string | null
}

export interface MenteeFields {
  lambda_week?: number
  desired_zip?: string | null
  interests?: string | null
  application_answers?: string | null
  wanted_mentor_id?: number | null
}

interface Ownership {
  user_id?: number
  status?: ProfileStatus
}

interface Change {
  status?: ProfileStatus
  deleted?: boolean
}

/** What a profile shows of its user. */
const userSummary = {
  id: users.id,
  first_name: users.first_name,
  last_name: users.last_name,
  email: users.email,
  avatar_url: users.avatar_url
}

/** Profiles embed their user's summary: one prepared statement reads those of a whole page. */
function withUsers (store: Store) {
  const byIds = preparedOnFirstUse(() => store.db.select(userSummary).from(users).where(inJsonArray(users.id, 'ids')).prepare())
  return <P extends { user_id: number }>(profiles: P[]) => {
    const summaries = new Map(byIds.all({ ids: JSON.stringify(profiles.map((profile) => profile.user_id)) }).map((user) => [user.id, user]))
    // The profile's foreign key cascades on the user's erasure, so the user is always there.
    return profiles.map((profile) => ({ ...profile, user: summaries.get(profile.user_id)! }))
  }
}

/**
 * `get` of a profile in one statement: the profile joined with its user (and `extra` columns),
 * answering 404 as Table.get does. The hot read of a profile page.
 */
function profileById<View extends { deleted: boolean }> (store: Store, profiles: typeof mentors | typeof mentees, noun: string, extra: Record<string, SQL> = {}) {
  const read = scopedRead(profiles.organization_id, (inScope) => store.db
    .select({ ...getTableColumns(profiles) as Record<string, SQLiteColumn>, user: userSummary, ...extra })
    .from(profiles).innerJoin(users, eq(users.id, profiles.user_id))
    .where(and(eq(profiles.id, sql.placeholder('id')), inScope)).prepare()) as (scope: Scope, params: { id: number }) => View | undefined
  return (caller: Caller, id: number, includeDeleted?: boolean): View => {
    const view = read(caller.scope, { id })
    if (!view || (view.deleted && !seesDeleted(caller, includeDeleted))) throw notFound(noun)
    return view
  }
}

const DELETED_ONE = '(a deleted one can be restored by staff)'

/**
 * A profile that leaves (deleted or erased) ends its live matches through the match lifecycle, like
 * every other change of a match: each is cancelled, the other side is freed, and both are told.
 */
function endingLiveMatches (store: Store, matches: Matches, side: 'mentor' | 'mentee') {
  const column = side === 'mentor' ? matchesTable.mentor_id : matchesTable.mentee_id
  const liveMatches = preparedOnFirstUse(() => store.db.select({ id: matchesTable.id }).from(matchesTable)
    .where(holdingPlace(column, sql.placeholder('profile'))).prepare())
  return (caller: Caller, profile: { id: number }) => {
    for (const { id } of liveMatches.all({ profile: profile.id })) {
      matches.update(caller, id, { status: 'CANCELLED', cancel_reason: `The ${side} left the program: their profile was deleted` })
    }
  }
}

/** Mentor profiles: capacity, and how much of it the active matches hold. */
export function createMentors (store: Store, matches: Matches) {
  const withUser = withUsers(store)
  const activeMatches = activeMatchCounter(store.db)
  const activeMatchesOfEach = activeMatchesOfPage(store.db)
  const records = ownedRecords(store, {
    table: store.tables.mentors,
    presentPage: (rows) => {
      const held = activeMatchesOfEach(rows.map((mentor) => mentor.id))
      return withUser(rows).map((mentor) => ({ ...mentor, active_matches: held.get(mentor.id) ?? 0 }))
    },
    duplicate: ({ user_id }) => `User ${user_id} already has a mentor profile ${DELETED_ONE}`,
    promotesTo: 'MENTOR',
    leaving: endingLiveMatches(store, matches, 'mentor')
  })

  return {
    ...records,

    get: profileById<ReturnType<typeof records.get>>(store, mentors, 'Mentor', { active_matches: activeMatchesOf(matchesTable.mentor_id, mentors.id) }),

    list (caller: Caller, { status, user_id, ...page }: ProfileQuery) {
      return records.list(caller, page, [
        status ? eq(mentors.status, status) : undefined,
        user_id ? eq(mentors.user_id, user_id) : undefined
      ])
    },

    create (caller: Caller, input: MentorFields & Ownership) {
      return records.create(caller, input)
    },

    /** A mentor cannot be given less room than the mentees it already holds. */
    update (caller: Caller, id: number, changes: MentorFields & Change) {
      return records.update(caller, id, changes, (mentor) => {
        const held = activeMatches(mentor.id)
        if (changes.capacity !== undefined && changes.capacity < held) {
          throw conflict(`capacity ${changes.capacity} is below the ${held} active matches of this mentor: end a match first`)
        }
      })
    }
  }
}

/** Mentee profiles: the cohort week, interests, and the mentor they would like. */
export function createMentees (store: Store, matches: Matches) {
  const { tables } = store
  const records = ownedRecords(store, {
    table: tables.mentees,
    presentPage: withUsers(store),
    duplicate: ({ user_id }) => `User ${user_id} already has a mentee profile ${DELETED_ONE}`,
    promotesTo: 'MENTEE',
    leaving: endingLiveMatches(store, matches, 'mentee')
  })

  /** The wanted mentor must be a live mentor profile of the mentee's own organization. */
  const wantedMentorOf = (caller: Caller, wantedMentorId: number | null | undefined) => (organizationId: number) => {
    if (wantedMentorId == null) return
    const mentor = tables.mentors.find(caller.scope, wantedMentorId)
    if (mentor?.organization_id !== organizationId) {
      throw invalid(`wanted_mentor_id: there is no mentor profile ${wantedMentorId} in this organization`)
    }
  }

  return {
    ...records,

    get: profileById<ReturnType<typeof records.get>>(store, mentees, 'Mentee'),

    list (caller: Caller, { status, user_id, lambda_week, ...page }: ProfileQuery & { lambda_week?: number }) {
      return records.list(caller, page, [
        status ? eq(mentees.status, status) : undefined,
        user_id ? eq(mentees.user_id, user_id) : undefined,
        lambda_week ? eq(mentees.lambda_week, lambda_week) : undefined
      ])
    },

    create (caller: Caller, input: MenteeFields & Ownership & { lambda_week: number }) {
      return records.create(caller, input, wantedMentorOf(caller, input.wanted_mentor_id))
    },

    update (caller: Caller, id: number, changes: MenteeFields & Change) {
      const wantedMentor = wantedMentorOf(caller, changes.wanted_mentor_id)
      return records.update(caller, id, changes, (mentee) => wantedMentor(mentee.organization_id))
    }
  }
}

export type Mentors = ReturnType<typeof createMentors>
export type Mentees = ReturnType<typeof createMentees>
