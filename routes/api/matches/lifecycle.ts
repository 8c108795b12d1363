import { and, eq, sql } from 'drizzle-orm'
import { matches, type mentees, type mentors } from '../../../db/schema'
import type { Db } from '../../../plugins/database'
import { badRequest, conflict } from '../../../plugins/errors'
import type { Tenant } from '../../../plugins/tenancy'
import { activeMatchCounter } from './capacity'
import { MATCH_MESSAGES } from './messages'
import { utc } from './schemas'

export type Match = typeof matches.$inferSelect
type Mentor = typeof mentors.$inferSelect
type Mentee = typeof mentees.$inferSelect

export interface NewMatch {
  mentor_id: number
  mentee_id: number
  match_score?: number | null
  start_date?: string | null
}

export type MatchChanges = Partial<Pick<Match,
  'mentor_id' | 'mentee_id' | 'status' | 'match_score' | 'start_date' | 'end_date' | 'cancel_reason' | 'deleted'>>

/** The part of a match that decides capacity, statuses and who is told what. */
type Standing = Pick<Match, 'organization_id' | 'mentor_id' | 'mentee_id' | 'status' | 'deleted'>

/** A match takes a place of its mentor and holds its mentee while it is ACTIVE and not deleted. */
const holdsPlace = (match: Standing) => match.status === 'ACTIVE' && !match.deleted

type Side = 'mentor' | 'mentee'
interface Notice { side: Side, profileId: number, content: string }

/**
 * Who is told what when a match goes from `before` (undefined: it is new) to `after`.
 * Someone added to a live match hears they were matched, someone taken out that it was removed,
 * and the one who stays that their partner changed.
 */
function noticesFor (before: Standing | undefined, after: Standing): Notice[] {
  const both = (from: Standing, mentorText: string, menteeText = mentorText): Notice[] => [
    { side: 'mentor', profileId: from.mentor_id, content: mentorText },
    { side: 'mentee', profileId: from.mentee_id, content: menteeText }
  ]
  if (before && !before.deleted && after.deleted) return both(before, MATCH_MESSAGES.removed)
  const held = before !== undefined && holdsPlace(before)
  const holds = holdsPlace(after)
  if (!held && holds) return both(after, MATCH_MESSAGES.matchedWithMentee, MATCH_MESSAGES.matchedWithMentor)
  if (held && !holds) {
    return both(before, after.status === 'COMPLETED' ? MATCH_MESSAGES.completed : MATCH_MESSAGES.cancelled)
  }
  if (!held || !holds) return []

  const notices: Notice[] = []
  const newMentor = before.mentor_id !== after.mentor_id
  const newMentee = before.mentee_id !== after.mentee_id
  if (newMentor) {
    notices.push({ side: 'mentor', profileId: before.mentor_id, content: MATCH_MESSAGES.removed })
    notices.push({ side: 'mentor', profileId: after.mentor_id, content: MATCH_MESSAGES.matchedWithMentee })
    if (!newMentee) notices.push({ side: 'mentee', profileId: after.mentee_id, content: MATCH_MESSAGES.newMentor })
  }
  if (newMentee) {
    notices.push({ side: 'mentee', profileId: before.mentee_id, content: MATCH_MESSAGES.removed })
    notices.push({ side: 'mentee', profileId: after.mentee_id, content: MATCH_MESSAGES.matchedWithMentor })
    if (!newMentor) notices.push({ side: 'mentor', profileId: after.mentor_id, content: MATCH_MESSAGES.newMentee })
  }
  return notices
}

/**
 * Every change of a match goes through here: creating, completing, cancelling, deleting, restoring,
 * erasing and re-pointing. Each keeps the invariants together, in one transaction: a match takes
 * a place only from AVAILABLE profiles with free capacity; a mentee in a live match is UNAVAILABLE,
 * a mentor is UNAVAILABLE once its live matches fill its capacity, and both become AVAILABLE again
 * when freed (a PENDING profile is never touched); the people affected are notified.
 *
 * The checks read the database inside the transaction, and the transaction starts IMMEDIATE (it
 * takes the write lock first), so two requests racing for a mentor's last place cannot both win.
 */
export function matchLifecycle (db: Db) {
  const mentorActiveMatches = activeMatchCounter(db, 'mentor')
  const menteeActiveMatches = activeMatchCounter(db, 'mentee')
  const activePair = db.select({ id: matches.id }).from(matches).where(and(
    eq(matches.mentor_id, sql.placeholder('mentor')),
    eq(matches.mentee_id, sql.placeholder('mentee')),
    eq(matches.status, 'ACTIVE'),
    eq(matches.deleted, false)
  )).prepare()

  const inTransaction = <T>(work: () => T): T => db.transaction(work, { behavior: 'immediate' })

  /** A live (not deleted) profile the caller's organization holds. */
  function profileOf<P extends Mentor | Mentee> (found: P | undefined, field: 'mentor_id' | 'mentee_id'): P {
    if (!found) throw badRequest(`${field} does not name a ${field.slice(0, -3)} profile of your organization`)
    return found
  }

  /** Only an ADMINISTRATOR, who sees every organization, could pair profiles of two of them. */
  function sameOrganization (profile: Mentor | Mentee, field: 'mentor_id' | 'mentee_id', organizationId: number): void {
    if (profile.organization_id !== organizationId) {
      throw badRequest(`${field} names a profile of another organization than the match's`)
    }
  }

  function refuseSelf (mentor: Mentor, mentee: Mentee): void {
    if (mentor.user_id === mentee.user_id) throw badRequest('mentee_id: a person cannot be matched with themself')
  }

  function refuseActivePair (mentor: Mentor, mentee: Mentee, exceptMatchId?: number): void {
    const existing = activePair.get({ mentor: mentor.id, mentee: mentee.id })
    if (existing && existing.id !== exceptMatchId) {
      throw conflict(`This mentor and mentee are already in an ACTIVE match (id ${existing.id})`)
    }
  }

  function mayTakeMentor (mentor: Mentor): void {
    if (mentor.status !== 'AVAILABLE') {
      throw conflict(`The mentor (id ${mentor.id}) is ${mentor.status}: only an AVAILABLE mentor can be matched`)
    }
    const active = mentorActiveMatches(mentor.id)
    if (active >= mentor.capacity) {
      throw conflict(`The mentor (id ${mentor.id}) has no free capacity: ${active} active matches of a capacity of ${mentor.capacity}`)
    }
  }

  function mayTakeMentee (mentee: Mentee): void {
    if (mentee.status !== 'AVAILABLE') {
      throw conflict(`The mentee (id ${mentee.id}) is ${mentee.status}: only an AVAILABLE mentee can be matched`)
    }
  }

  /** Brings the profiles' statuses in line with the match's move from `before` to `after`, and notifies. */
  function settle (tenant: Tenant, before: Standing | undefined, after: Standing): void {
    const held = before !== undefined && holdsPlace(before)
    const holds = holdsPlace(after)
    if (held && (!holds || before.mentor_id !== after.mentor_id)) {
      const mentor = tenant.mentors.get(before.mentor_id, true)
      if (mentor.status === 'UNAVAILABLE' && mentorActiveMatches(mentor.id) < mentor.capacity) {
        tenant.mentors.update(mentor.id, { status: 'AVAILABLE' })
      }
    }
    if (held && (!holds || before.mentee_id !== after.mentee_id)) {
      const mentee = tenant.mentees.get(before.mentee_id, true)
      if (mentee.status === 'UNAVAILABLE' && menteeActiveMatches(mentee.id) === 0) {
        tenant.mentees.update(mentee.id, { status: 'AVAILABLE' })
      }
    }
    if (holds && (!held || before.mentor_id !== after.mentor_id)) {
      const mentor = tenant.mentors.get(after.mentor_id, true)
      if (mentor.status === 'AVAILABLE' && mentorActiveMatches(mentor.id) >= mentor.capacity) {
        tenant.mentors.update(mentor.id, { status: 'UNAVAILABLE' })
      }
    }
    if (holds && (!held || before.mentee_id !== after.mentee_id)) {
      const mentee = tenant.mentees.get(after.mentee_id, true)
      if (mentee.status === 'AVAILABLE') tenant.mentees.update(mentee.id, { status: 'UNAVAILABLE' })
    }

    for (const notice of noticesFor(before, after)) {
      const profile = notice.side === 'mentor'
        ? tenant.mentors.get(notice.profileId, true)
        : tenant.mentees.get(notice.profileId, true)
      tenant.notifications.insert({ organization_id: after.organization_id, user_id: profile.user_id, content: notice.content })
    }
  }

  /**
   * Creates one ACTIVE match inside the caller's transaction (cohort assignment writes many in one):
   * every check reads the state left by the matches written before it in that transaction.
   */
  function createWithin (tenant: Tenant, input: NewMatch): Match {
    const mentor = profileOf(tenant.mentors.find(input.mentor_id), 'mentor_id')
    const mentee = profileOf(tenant.mentees.find(input.mentee_id), 'mentee_id')
    sameOrganization(mentee, 'mentee_id', mentor.organization_id)
    refuseSelf(mentor, mentee)
    refuseActivePair(mentor, mentee)
    mayTakeMentee(mentee)
    mayTakeMentor(mentor)
    const match = tenant.matches.insert({
      organization_id: mentor.organization_id,
      mentor_id: mentor.id,
      mentee_id: mentee.id,
      status: 'ACTIVE',
      match_score: input.match_score ?? null,
      start_date: input.start_date ? utc(input.start_date) : new Date().toISOString()
    })
    settle(tenant, undefined, match)
    return match
  }

  function updateWithin (tenant: Tenant, matchId: number, changes: MatchChanges): Match {
    const before = tenant.matches.get(matchId, true)
    const defined = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)) as MatchChanges
    const after = { ...before, ...defined }
    if (changes.start_date) after.start_date = utc(changes.start_date)
    if (changes.end_date) after.end_date = utc(changes.end_date)
    // The end date follows the status unless it is given: set when the match ends, cleared when it resumes.
    if (changes.end_date === undefined && after.status !== before.status) {
      after.end_date = after.status === 'ACTIVE' ? null : before.end_date ?? new Date().toISOString()
    }

    const mentorChanged = after.mentor_id !== before.mentor_id
    const menteeChanged = after.mentee_id !== before.mentee_id
    const mentor = mentorChanged
      ? profileOf(tenant.mentors.find(after.mentor_id), 'mentor_id')
      : tenant.mentors.get(before.mentor_id, true)
    const mentee = menteeChanged
      ? profileOf(tenant.mentees.find(after.mentee_id), 'mentee_id')
      : tenant.mentees.get(before.mentee_id, true)
    if (mentorChanged || menteeChanged) {
      sameOrganization(mentor, 'mentor_id', before.organization_id)
      sameOrganization(mentee, 'mentee_id', before.organization_id)
      refuseSelf(mentor, mentee)
    }
    if (holdsPlace(after)) {
      // Resuming, restoring or re-pointing a live match passes the checks of a new one, for the sides it takes.
      const resumed = !holdsPlace(before)
      if (resumed || mentorChanged || menteeChanged) refuseActivePair(mentor, mentee, before.id)
      if (resumed || menteeChanged) mayTakeMentee(mentee)
      if (resumed || mentorChanged) mayTakeMentor(mentor)
    }

    const { id: _id, organization_id: _organization, created_at: _created, updated_at: _updated, ...values } = after
    const updated = tenant.matches.update(before.id, values)
    settle(tenant, before, updated)
    return updated
  }

  return {
    /** The transaction every lifecycle write runs in; a caller creating many matches wraps them in it. */
    transaction: inTransaction,
    createWithin,

    create (tenant: Tenant, input: NewMatch): Match {
      return inTransaction(() => createWithin(tenant, input))
    },

    /** Status, dates, reason, score, re-pointing and soft deletion or restoration, with their consequences. */
    update (tenant: Tenant, matchId: number, changes: MatchChanges): Match {
      return inTransaction(() => updateWithin(tenant, matchId, changes))
    },

    softDelete (tenant: Tenant, matchId: number): Match {
      return inTransaction(() => updateWithin(tenant, matchId, { deleted: true }))
    },

    /** Erases the match (its meetings go with it through the foreign key), freeing what it held. */
    erase (tenant: Tenant, matchId: number): void {
      inTransaction(() => {
        const match = tenant.matches.get(matchId, true)
        tenant.matches.remove(match.id)
        settle(tenant, match, { ...match, deleted: true })
      })
    }
  }
}

export type MatchLifecycle = ReturnType<typeof matchLifecycle>
