import { and, eq, getTableColumns, gt, inArray, lte, or, type SQL, sql } from 'drizzle-orm'
import { type DeclineReason, jobRecords, mentees, mentors, type RequestStatus, requests } from '../../db/schema'
import type { Caller, User } from '../caller'
import { conflict, forbidden, invalid, notFound, Refusal } from '../errors'
import type { Match, Matches } from '../matches'
import { holdsPlace } from '../matches/decisions'
import { activeMatchCounter } from '../matches/capacity'
import { notify } from '../notifications'
import type { Notice } from '../outbox'
import { isSelf, isStaff } from '../policy'
import { preparedOnFirstUse } from '../prepared'
import { immediately, type Page, Scope, scopedList, scopedRead, type Store } from '../tenancy'
import { expiryOf, rankFor, refuseToAnswer, refuseToAsk, statusAt } from './decisions'
import { REQUEST_MESSAGES } from './messages'

export type MenteeRequest = typeof requests.$inferSelect

export interface NewRequest {
  mentor_id: number
  message: string
  rank?: number
}

export interface RequestQuery extends Page {
  include_deleted?: boolean
  status?: RequestStatus
  mentor_id?: number
  mentee_id?: number
}

export interface Decline {
  decline_reason: DeclineReason
  decline_note?: string | null
}

/** The job_records name of the reminder: one per request. */
export const REMINDER_JOB = 'request-reminder'

const HOUR_MS = 60 * 60 * 1000

/** A request with the users of its two profiles, and whether those profiles are live. */
function withParties (store: Store) {
  return store.db.select({
    ...getTableColumns(requests),
    mentorUserId: mentors.user_id,
    menteeUserId: mentees.user_id,
    mentorDeleted: mentors.deleted,
    menteeDeleted: mentees.deleted
  }).from(requests)
    .innerJoin(mentors, eq(mentors.id, requests.mentor_id))
    .innerJoin(mentees, eq(mentees.id, requests.mentee_id))
}

type Parties = { mentorUserId: number, menteeUserId: number }

/** Open requests past their moment, across organizations unless the scope or a mentee narrows them. */
function overdueRead (store: Store) {
  return scopedList(requests.organization_id, (inScope) => withParties(store)
    .where(and(
      eq(requests.status, 'OPEN'),
      lte(requests.expires_at, sql.placeholder('now')),
      sql`(${sql.placeholder('mentee')} IS NULL OR ${requests.mentee_id} = ${sql.placeholder('mentee')})`,
      inScope
    )).prepare())
}

/**
 * Writes EXPIRED on the overdue requests `due` read, and tells each mentee, in the caller's
 * transaction: once written, a request is no longer OPEN, so nobody is told twice.
 */
function expire (store: Store, scope: Scope, due: Array<MenteeRequest & Parties>): number {
  const now = store.clock.now().toISOString()
  for (const request of due) store.tables.requests.update(scope, request.id, { status: 'EXPIRED', updated_at: now })
  notify(store, due.map((request) => ({
    organization_id: request.organization_id,
    user_id: request.menteeUserId,
    content: REQUEST_MESSAGES.expired,
    about_user_id: request.mentorUserId
  })))
  return due.length
}

/**
 * The expiry job: writes EXPIRED on every OPEN request of every organization whose moment has come
 * by `store.clock`, and tells each mentee once. Answers how many expired; a second run finds none.
 */
export function expireOverdue (store: Store): number {
  const due = overdueRead(store)
  return immediately(store, () =>
    expire(store, Scope.acrossOrganizations, due(Scope.acrossOrganizations, { now: store.clock.now().toISOString(), mentee: null })))
}

/**
 * The reminder job: tells the mentor of every OPEN request that has waited more than half its life
 * (and has not expired), once per request. The deed is recorded in job_records in the same
 * transaction as the notification, so a second run, or one after a restart, reminds nobody twice.
 * Answers how many mentors were reminded.
 */
export function remindWaiting (store: Store): number {
  const waiting = scopedList(requests.organization_id, (inScope) => withParties(store)
    .where(and(
      eq(requests.status, 'OPEN'),
      gt(requests.expires_at, sql.placeholder('now')),
      sql`julianday(${sql.placeholder('now')}) > (julianday(${requests.created_at}) + julianday(${requests.expires_at})) / 2`,
      sql`NOT EXISTS (SELECT 1 FROM ${jobRecords} WHERE ${jobRecords.job} = ${REMINDER_JOB} AND ${jobRecords.subject_id} = ${requests.id})`,
      inScope
    )).prepare())
  return immediately(store, () => {
    const now = store.clock.now().toISOString()
    const notices: Notice[] = []
    for (const request of waiting(Scope.acrossOrganizations, { now })) {
      const recorded = store.db.insert(jobRecords)
        .values({ organization_id: request.organization_id, job: REMINDER_JOB, subject_id: request.id, done_at: now })
        .onConflictDoNothing().returning().all()
      if (recorded.length === 0) continue
      notices.push({ organization_id: request.organization_id, user_id: request.mentorUserId, content: REQUEST_MESSAGES.reminder, about_user_id: request.menteeUserId })
    }
    return notify(store, notices).length
  })
}

type MatchedPair = Pick<Match, 'id' | 'organization_id' | 'mentor_id' | 'mentee_id'>

/**
 * A mentee who has just been matched asks nobody any more: every OPEN request of theirs closes, in
 * the caller's transaction. Overdue ones expire (the mentee is told, as by the job); the others
 * become CLOSED, "matched elsewhere", and their mentors are told, except the match's own mentor (a
 * request to them, when staff matched the two directly, closes with the match's id, and that
 * mentor hears of the match itself). Accepting a request and every match staff make call this.
 */
function requestsClosing (store: Store) {
  const openOfMentee = scopedList(requests.organization_id, (inScope) => withParties(store)
    .where(and(eq(requests.mentee_id, sql.placeholder('mentee')), eq(requests.status, 'OPEN'), inScope)).prepare())
  return (scope: Scope, match: MatchedPair): void => {
    const now = store.clock.now().toISOString()
    const open = openOfMentee(scope, { mentee: match.mentee_id })
    expire(store, scope, open.filter((request) => request.expires_at <= now))
    const closing = open.filter((request) => request.expires_at > now)
    for (const request of closing) {
      const fulfilled = request.mentor_id === match.mentor_id
      store.tables.requests.update(scope, request.id, { status: 'CLOSED', answered_at: now, updated_at: now, match_id: fulfilled ? match.id : null })
    }
    notify(store, closing.filter((request) => request.mentor_id !== match.mentor_id).map((request) => ({
      organization_id: request.organization_id, user_id: request.mentorUserId, content: REQUEST_MESSAGES.closed, about_user_id: request.menteeUserId
    })))
  }
}

/**
 * The match lifecycle as staff (and the cohort assignment) call it: a match that holds its mentee
 * once staff have created, resumed, restored or re-pointed it closes the mentee's open requests, in
 * the same IMMEDIATE transaction. The lifecycle's own rules are untouched; a mentor accepting a
 * request calls the lifecycle itself and closes the others the same way.
 */
export function matchesClosingRequests (store: Store, lifecycle: Matches): Matches {
  const closeRequestsOfMatched = requestsClosing(store)
  const closing = <M extends MatchedPair & Pick<Match, 'status' | 'deleted'>>(caller: Caller, match: M): M => {
    if (holdsPlace(match)) closeRequestsOfMatched(caller.scope, match)
    return match
  }
  return {
    ...lifecycle,
    create: (caller, input) => immediately(store, () => closing(caller, lifecycle.create(caller, input))),
    update: (caller, id, changes) => immediately(store, () => closing(caller, lifecycle.update(caller, id, changes)))
  }
}

/**
 * Mentee requests (API.md section 11): a mentee asks up to three mentors at once; the mentor accepts
 * (the match is made by the match lifecycle, with its capacity check and notifications) or declines;
 * the mentee may withdraw; an unanswered request expires. Every change runs in one IMMEDIATE
 * transaction, and reads the time from `store.clock`.
 */
export function createRequests (store: Store, matchRules: Matches) {
  const { db, tables, clock } = store
  const nowIso = () => clock.now().toISOString()

  const menteeOfUser = tables.mentees.lookup(mentees.user_id)
  const activeMatches = activeMatchCounter(db)
  const overdue = overdueRead(store)
  const closeRequestsOfMatched = requestsClosing(store)
  const requestRead = scopedRead(requests.organization_id, (inScope) => withParties(store)
    .where(and(eq(requests.id, sql.placeholder('id')), inScope)).prepare())
  const openOf = preparedOnFirstUse(() => db.select().from(requests)
    .where(and(eq(requests.mentee_id, sql.placeholder('mentee')), eq(requests.status, 'OPEN'))).prepare())

  /** As the API shows it: its status at this moment, and how many whole hours it has existed. */
  function present (request: MenteeRequest) {
    const now = clock.now()
    const { deleted: _deleted, organization_id: _organization, ...shown } = request
    return {
      ...shown,
      status: statusAt(request, now.toISOString()),
      age_hours: Math.max(0, Math.floor((now.getTime() - Date.parse(request.created_at)) / HOUR_MS))
    }
  }

  /** The request with its parties; staff and its two people read it, others of the organization get 403. */
  function readable (caller: Caller, id: number) {
    const request = requestRead(caller.scope, { id })
    if (!request) throw notFound('Request')
    if (!isStaff(caller) && !isSelf(caller, request.mentorUserId) && !isSelf(caller, request.menteeUserId)) throw forbidden()
    return request
  }

  /** The mentee's overdue requests are written EXPIRED before anything counts their open ones. */
  function settleExpiries (scope: Scope, menteeId: number): void {
    expire(store, scope, overdue(scope, { now: nowIso(), mentee: menteeId }))
  }

  /** The requests a caller who is not staff lists: those they made, and those addressed to them. */
  function requestsOf (user: User): SQL {
    return or(
      inArray(requests.mentee_id, db.select({ id: mentees.id }).from(mentees).where(eq(mentees.user_id, user.id))),
      inArray(requests.mentor_id, db.select({ id: mentors.id }).from(mentors).where(eq(mentors.user_id, user.id)))
    )!
  }

  /**
   * `?status=` as the API shows statuses: OPEN ones past their moment count as EXPIRED. The unary
   * `+` keeps SQLite from searching the expiry job's index by deadline: a list reads its page in
   * order from the organization's index and stops, where the deadline range would be sorted whole.
   */
  function withStatus (status: RequestStatus, now: string): SQL | undefined {
    const expiry = sql`+${requests.expires_at}`
    if (status === 'OPEN') return and(eq(requests.status, 'OPEN'), gt(expiry, now))
    if (status === 'EXPIRED') return or(eq(requests.status, 'EXPIRED'), and(eq(requests.status, 'OPEN'), lte(expiry, now)))
    return eq(requests.status, status)
  }

  /** The caller's mentee profile and organization, when they may ask a mentor at all. */
  function asker (caller: Caller) {
    const mentee = menteeOfUser(caller.scope, caller.user.id)
    if (!mentee || mentee.deleted) throw forbidden('Only a mentee asks a mentor, for themself: you have no mentee profile')
    const organization = tables.organizations.get(caller.scope, mentee.organization_id)
    if (!organization.requests_enabled) throw forbidden('Mentee requests are turned off in this organization: staff make the matches')
    if (mentee.status !== 'AVAILABLE') throw conflict(`Your mentee profile is ${mentee.status}: only an AVAILABLE mentee asks a mentor`)
    return { mentee, organization }
  }

  /** Answers a request its mentor may answer: read inside the transaction, still OPEN. */
  function answerable (caller: Caller, id: number) {
    const request = readable(caller, id)
    if (!isSelf(caller, request.mentorUserId)) throw forbidden('Only the mentor a request is addressed to answers it')
    refuseToAnswer(request, nowIso())
    return request
  }

  return {
    present,

    list (caller: Caller, { status, mentor_id, mentee_id, include_deleted: _deleted, ...page }: RequestQuery) {
      const { rows, total } = tables.requests.list(caller.scope, {
        ...page,
        where: [
          isStaff(caller) ? undefined : requestsOf(caller.user),
          status ? withStatus(status, nowIso()) : undefined,
          mentor_id ? eq(requests.mentor_id, mentor_id) : undefined,
          mentee_id ? eq(requests.mentee_id, mentee_id) : undefined
        ]
      })
      return { rows: rows.map(present), total }
    },

    get (caller: Caller, id: number) {
      return present(readable(caller, id))
    },

    /** Why the caller may not ask a mentor now, in the words POST /api/requests answers; null when they may. */
    whyNotAsk (caller: Caller): string | null {
      try {
        asker(caller)
        return null
      } catch (error) {
        if (error instanceof Refusal) return error.message
        throw error
      }
    },

    /** A mentee with an AVAILABLE profile asks a mentor of their organization, for themself. */
    create (caller: Caller, { mentor_id, message, rank }: NewRequest) {
      return immediately(store, () => {
        const { mentee, organization } = asker(caller)
        const mentor = tables.mentors.find(caller.scope, mentor_id)
        if (!mentor) throw invalid('mentor_id does not name a mentor profile of your organization')
        if (mentor.user_id === caller.user.id) throw invalid('mentor_id: you cannot ask yourself')
        if (mentor.status !== 'AVAILABLE') throw invalid(`mentor_id: the mentor (id ${mentor.id}) is ${mentor.status}: only an AVAILABLE mentor can be asked`)
        const active = activeMatches(mentor.id)
        if (active >= mentor.capacity) throw invalid(`mentor_id: the mentor (id ${mentor.id}) has no free place (${active} of ${mentor.capacity})`)

        settleExpiries(caller.scope, mentee.id)
        const open = openOf.all({ mentee: mentee.id })
        refuseToAsk(open, mentor.id)
        const created = clock.now()
        const request = tables.requests.insert(caller.scope, {
          organization_id: mentee.organization_id,
          mentee_id: mentee.id,
          mentor_id: mentor.id,
          rank: rankFor({ asked: rank, mentorId: mentor.id, wantedMentorId: mentee.wanted_mentor_id, open }),
          message,
          status: 'OPEN',
          expires_at: expiryOf(created, organization.request_expiry_days),
          created_at: created.toISOString(),
          updated_at: created.toISOString()
        })
        notify(store, [{ organization_id: request.organization_id, user_id: mentor.user_id, content: REQUEST_MESSAGES.requested, about_user_id: mentee.user_id }])
        return present(request)
      })
    },

    /**
     * Its mentor accepts: the match is created by the match lifecycle (capacity, statuses, its
     * notifications), the request becomes ACCEPTED and the mentee's other open requests close as a
     * match made by staff closes them, all in one transaction. Answers the match.
     */
    accept (caller: Caller, id: number) {
      return immediately(store, () => {
        const request = answerable(caller, id)
        if (request.menteeDeleted || request.mentorDeleted) throw conflict('A profile of this request has been deleted: it can only be declined')
        const match = matchRules.create(caller, { mentor_id: request.mentor_id, mentee_id: request.mentee_id })
        const now = nowIso()
        tables.requests.update(caller.scope, request.id, { status: 'ACCEPTED', answered_at: now, updated_at: now, match_id: match.id })
        notify(store, [{ organization_id: request.organization_id, user_id: request.menteeUserId, content: REQUEST_MESSAGES.accepted, match_id: match.id, about_user_id: request.mentorUserId }])
        closeRequestsOfMatched(caller.scope, match)
        return match
      })
    },

    /** Its mentor declines, with a reason from the list and an optional note the mentee reads. */
    decline (caller: Caller, id: number, { decline_reason, decline_note }: Decline) {
      return immediately(store, () => {
        const request = answerable(caller, id)
        const now = nowIso()
        const declined = tables.requests.update(caller.scope, request.id, {
          status: 'DECLINED', decline_reason, decline_note: decline_note ?? null, answered_at: now, updated_at: now
        })
        notify(store, [{
          organization_id: request.organization_id,
          user_id: request.menteeUserId,
          content: REQUEST_MESSAGES.declined(decline_reason, decline_note),
          about_user_id: request.mentorUserId
        }])
        return present(declined)
      })
    },

    /** Its mentee takes back a request still OPEN. */
    withdraw (caller: Caller, id: number) {
      return immediately(store, () => {
        const request = readable(caller, id)
        if (!isSelf(caller, request.menteeUserId)) throw forbidden('Only the mentee who made a request withdraws it')
        refuseToAnswer(request, nowIso())
        const now = nowIso()
        const withdrawn = tables.requests.update(caller.scope, request.id, { status: 'WITHDRAWN', answered_at: now, updated_at: now })
        notify(store, [{ organization_id: request.organization_id, user_id: request.mentorUserId, content: REQUEST_MESSAGES.withdrawn, about_user_id: request.menteeUserId }])
        return present(withdrawn)
      })
    },

    expireOverdue: () => expireOverdue(store),
    remindWaiting: () => remindWaiting(store)
  }
}

export type Requests = ReturnType<typeof createRequests>
