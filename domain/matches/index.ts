import { and, eq, inArray, or, type SQL, sql } from 'drizzle-orm'
import { type MatchingWeights, type MatchStatus, matches, mentees, mentors, users } from '../../db/schema'
import type { Caller, User } from '../caller'
import { now, utc } from '../dates'
import { forbidden, invalid } from '../errors'
import { notify } from '../notifications'
import { isPartyTo, isStaff, type MatchParties, seesDeleted } from '../policy'
import { preparedOnFirstUse } from '../prepared'
import { immediately, inJsonArray, type Page, scopedRead, type Store } from '../tenancy'
import { menteeFeatureColumns, menteeFeaturesOf, mentorColumns, mentorFeaturesOf, storedWeights } from '../matching/features'
import { effectiveWeights, type MenteeFeatures, type MentorFeatures, scorePair } from '../matching/scoring'
import { activeMatchesOf, holdingPlace } from './capacity'
import {
  type Loaded, type MentorProfile, movesOf, noticesFor, type Profile, refuseActivePair, refuseForeign, refuseSelf,
  refuseToTakeMentee, refuseToTakeMentor, type Side, type Standing, statusAfter
} from './decisions'

export type Match = typeof matches.$inferSelect

export interface NewMatch {
  mentor_id: number
  mentee_id: number
  match_score?: number | null
  start_date?: string | null
}

export type MatchChanges = Partial<Pick<Match,
  'mentor_id' | 'mentee_id' | 'status' | 'match_score' | 'start_date' | 'end_date' | 'cancel_reason' | 'deleted'>>

export interface MatchQuery extends Page {
  include_deleted?: boolean
  status?: MatchStatus
  mentor_id?: number
  mentee_id?: number
  /** Only the caller's own matches, as mentor or mentee, staff included: their "My matches" page. */
  own?: boolean
}

/** A profile of a match as a change reads it: with its user's name and the live matches holding it. */
interface Party<P extends Profile = Profile> extends Loaded<P> {
  first_name: string | null
  last_name: string | null
  deleted: boolean
  /** Mentors only: an ACTIVE match of this mentor with the change's mentee, other than the one changing. */
  activePair: number | null
}

/** How the API shows a profile inside a match. */
const summaryOf = ({ profile, first_name, last_name }: Party) =>
  ({ id: profile.id, user_id: profile.user_id, status: profile.status, user: { id: profile.user_id, first_name, last_name } })

/**
 * Every change of a match goes through here: creating, completing, cancelling, deleting, restoring,
 * erasing and re-pointing. Each runs in one IMMEDIATE transaction that reads the profiles involved
 * (once each, with their load), asks `decisions` whether the change may happen and what follows,
 * then writes the match, the statuses and the notifications. Two requests racing for a mentor's
 * last place therefore cannot both win.
 */
export function createMatches (store: Store) {
  const { db, tables } = store

  const mentorRead = scopedRead(mentors.organization_id, (inScope) => db.select({
    // With what the model needs to score a new match, read in the same statement.
    ...mentorColumns,
    status: mentors.status,
    deleted: mentors.deleted,
    activePair: sql<number | null>`(SELECT ${matches.id} FROM ${matches} WHERE ${holdingPlace(matches.mentor_id, mentors.id)}
      AND ${matches.mentee_id} = ${sql.placeholder('mentee')} AND ${matches.id} != ${sql.placeholder('except')})`
  }).from(mentors).innerJoin(users, eq(users.id, mentors.user_id))
    .where(and(eq(mentors.id, sql.placeholder('id')), inScope)).prepare())

  const menteeRead = scopedRead(mentees.organization_id, (inScope) => db.select({
    id: mentees.id,
    organization_id: mentees.organization_id,
    user_id: mentees.user_id,
    status: mentees.status,
    deleted: mentees.deleted,
    first_name: users.first_name,
    last_name: users.last_name,
    active: activeMatchesOf(matches.mentee_id, mentees.id),
    ...menteeFeatureColumns
  }).from(mentees).innerJoin(users, eq(users.id, mentees.user_id))
    .where(and(eq(mentees.id, sql.placeholder('id')), inScope)).prepare())

  /** A match with the users of its mentor and mentee: who may act on it, and whom its meetings tell. */
  const withPartiesSelect = () => db.select({
    id: matches.id,
    organization_id: matches.organization_id,
    status: matches.status,
    deleted: matches.deleted,
    mentorUserId: mentors.user_id,
    menteeUserId: mentees.user_id
  }).from(matches)
    .innerJoin(mentors, eq(mentors.id, matches.mentor_id))
    .innerJoin(mentees, eq(mentees.id, matches.mentee_id))
  const partiesOf = preparedOnFirstUse(() => withPartiesSelect().where(eq(matches.id, sql.placeholder('id'))).prepare())
  const withPartiesRead = scopedRead(matches.organization_id, (inScope) =>
    withPartiesSelect().where(and(eq(matches.id, sql.placeholder('id')), inScope)).prepare())

  const partySummary = (profiles: typeof mentors | typeof mentees) => db.select({
    id: profiles.id,
    user_id: profiles.user_id,
    status: profiles.status,
    first_name: users.first_name,
    last_name: users.last_name
  }).from(profiles).innerJoin(users, eq(users.id, profiles.user_id))
    .where(inJsonArray(profiles.id, 'ids')).prepare()
  const mentorSummaries = preparedOnFirstUse(() => partySummary(mentors))
  const menteeSummaries = preparedOnFirstUse(() => partySummary(mentees))

  type Mentor = Party<MentorProfile> & { features: MentorFeatures, weights: MatchingWeights | null }
  type Mentee = Party & { features: MenteeFeatures }

  function loadMentor (caller: Caller, id: number, menteeId: number, exceptMatchId = 0): Mentor | undefined {
    const row = mentorRead(caller.scope, { id, mentee: menteeId, except: exceptMatchId })
    if (!row) return undefined
    const { active, activePair, first_name, last_name, deleted, bio, zip, experienceNames, organizationWeights, ...profile } = row
    const features = mentorFeaturesOf({ ...profile, active, bio, zip, experienceNames })
    return { profile, active, activePair, first_name, last_name, deleted, features, weights: storedWeights(organizationWeights) }
  }

  function loadMentee (caller: Caller, id: number): Mentee | undefined {
    const row = menteeRead(caller.scope, { id })
    if (!row) return undefined
    const { active, first_name, last_name, deleted, interests, zip, wanted_mentor_id, ...profile } = row
    return { profile, active, activePair: null, first_name, last_name, deleted, features: menteeFeaturesOf({ ...profile, interests, zip, wanted_mentor_id }) }
  }

  /** A profile a change names anew must be live and of the caller's organization. */
  function named<P extends Party> (party: P | undefined, side: Side): P {
    if (!party || party.deleted) throw invalid(`${side}_id does not name a ${side} profile of your organization`)
    return party
  }

  /** A profile the match already had: the foreign keys cascade, so it is there. */
  function kept<P extends Party> (party: P | undefined, side: Side, id: number): P {
    if (!party) throw new Error(`the ${side} profile ${id} of a match is missing`)
    return party
  }

  /**
   * Brings the profiles' statuses in line with the match's move from `before` to `after`, and
   * notifies the people affected, each about the match and the person they were or are now paired
   * with in it. `parties` holds every profile the move touches, read before it.
   */
  function settle (caller: Caller, before: Standing | undefined, after: Standing & Pick<Match, 'id'>, parties: { mentors: Mentor[], mentees: Party[] }) {
    const mentorOf = (id: number) => parties.mentors.find((party) => party.profile.id === id)!
    const menteeOf = (id: number) => parties.mentees.find((party) => party.profile.id === id)!
    const moves = movesOf(before, after)
    const changes: Array<[Side, Party, 'takes' | 'frees']> = []
    if (before && moves.freesMentor) changes.push(['mentor', mentorOf(before.mentor_id), 'frees'])
    if (before && moves.freesMentee) changes.push(['mentee', menteeOf(before.mentee_id), 'frees'])
    if (moves.takesMentor) changes.push(['mentor', mentorOf(after.mentor_id), 'takes'])
    if (moves.takesMentee) changes.push(['mentee', menteeOf(after.mentee_id), 'takes'])
    for (const [side, party, move] of changes) {
      const status = statusAfter(side, move, party)
      if (!status) continue
      const table = side === 'mentor' ? tables.mentors : tables.mentees
      table.update(caller.scope, party.profile.id, { status })
      party.profile.status = status
    }

    // What each notice is about: the match, and the other party of the pairing it tells of (before a re-pointing, or after).
    const notices = noticesFor(before, after).map(({ side, profileId, content }) => {
      const pairing = side === 'mentor'
        ? (profileId === after.mentor_id ? after : before!)
        : (profileId === after.mentee_id ? after : before!)
      return {
        organization_id: after.organization_id,
        user_id: (side === 'mentor' ? mentorOf(profileId) : menteeOf(profileId)).profile.user_id,
        content,
        match_id: after.id,
        about_user_id: (side === 'mentor' ? menteeOf(pairing.mentee_id) : mentorOf(pairing.mentor_id)).profile.user_id
      }
    })
    notify(store, notices)
    return { mentor: summaryOf(mentorOf(after.mentor_id)), mentee: summaryOf(menteeOf(after.mentee_id)) }
  }

  /** Matches as the API shows them, with their mentors' and mentees' names read afresh: two statements a page. */
  function presentPage (page: Match[]) {
    const summaries = (statement: typeof mentorSummaries, ids: number[]) => new Map(statement.all({ ids: JSON.stringify(ids) })
      .map(({ first_name, last_name, ...profile }) => [profile.id, { ...profile, user: { id: profile.user_id, first_name, last_name } }]))
    const mentorsById = summaries(mentorSummaries, page.map((match) => match.mentor_id))
    const menteesById = summaries(menteeSummaries, page.map((match) => match.mentee_id))
    // The foreign keys cascade, so a match never outlives its profiles or their users.
    return page.map((match) => ({ ...match, mentor: mentorsById.get(match.mentor_id)!, mentee: menteesById.get(match.mentee_id)! }))
  }

  const present = (match: Match) => presentPage([match])[0]!

  function partiesTo (matchId: number): MatchParties {
    return partiesOf.get({ id: matchId })!
  }

  /** The matches in which the user is the mentor or the mentee (a user may hold both profiles). */
  function matchesOf (user: User): SQL {
    return or(
      inArray(matches.mentor_id, db.select({ id: mentors.id }).from(mentors).where(eq(mentors.user_id, user.id))),
      inArray(matches.mentee_id, db.select({ id: mentees.id }).from(mentees).where(eq(mentees.user_id, user.id)))
    )!
  }

  /** Staff, and the mentor and mentee of a match, act on it and on its meetings. */
  function mayActOn (caller: Caller, parties: MatchParties): void {
    if (!isStaff(caller) && !isPartyTo(caller, parties)) throw forbidden()
  }

  /** A live match of the caller's organization with its people, in one read (recording a meeting needs both). */
  function withParties (caller: Caller, id: number): (Pick<Match, 'id' | 'organization_id' | 'status'> & MatchParties) | undefined {
    const row = withPartiesRead(caller.scope, { id })
    if (!row || row.deleted) return undefined
    const { deleted: _deleted, ...match } = row
    return match
  }

  function updateWithin (caller: Caller, before: Match, changes: MatchChanges) {
    const defined = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)) as MatchChanges
    const after = { ...before, ...defined }
    if (changes.start_date) after.start_date = utc(changes.start_date)
    if (changes.end_date) after.end_date = utc(changes.end_date)
    // The end date follows the status unless it is given: set when the match ends, cleared when it resumes.
    if (changes.end_date === undefined && after.status !== before.status) {
      after.end_date = after.status === 'ACTIVE' ? null : before.end_date ?? now()
    }

    const newMentor = after.mentor_id !== before.mentor_id
    const newMentee = after.mentee_id !== before.mentee_id
    const mentor = newMentor
      ? named(loadMentor(caller, after.mentor_id, after.mentee_id, before.id), 'mentor')
      : kept(loadMentor(caller, after.mentor_id, after.mentee_id, before.id), 'mentor', after.mentor_id)
    const mentee = newMentee
      ? named(loadMentee(caller, after.mentee_id), 'mentee')
      : kept(loadMentee(caller, after.mentee_id), 'mentee', after.mentee_id)
    if (newMentor || newMentee) {
      refuseForeign(mentor.profile, 'mentor', before.organization_id)
      refuseForeign(mentee.profile, 'mentee', before.organization_id)
      refuseSelf(mentor.profile, mentee.profile)
    }
    const moves = movesOf(before, after)
    if (moves.takesMentor || moves.takesMentee) refuseActivePair(mentor.activePair)
    if (moves.takesMentee) refuseToTakeMentee(mentee)
    if (moves.takesMentor) refuseToTakeMentor(mentor)

    const parties = {
      mentors: newMentor ? [mentor, kept(loadMentor(caller, before.mentor_id, before.mentee_id), 'mentor', before.mentor_id)] : [mentor],
      mentees: newMentee ? [mentee, kept(loadMentee(caller, before.mentee_id), 'mentee', before.mentee_id)] : [mentee]
    }
    const { id: _id, organization_id: _organization, created_at: _created, updated_at: _updated, ...values } = after
    const updated = tables.matches.update(caller.scope, before.id, values)
    return { ...updated, ...settle(caller, before, updated, parties) }
  }

  return {
    present,
    mayActOn,
    matchesOf,
    partiesTo,
    withParties,

    list (caller: Caller, { status, mentor_id, mentee_id, include_deleted, own, ...page }: MatchQuery) {
      const { rows, total } = tables.matches.list(caller.scope, {
        ...page,
        includeDeleted: seesDeleted(caller, include_deleted),
        where: [
          isStaff(caller) && !own ? undefined : matchesOf(caller.user),
          status ? eq(matches.status, status) : undefined,
          mentor_id ? eq(matches.mentor_id, mentor_id) : undefined,
          mentee_id ? eq(matches.mentee_id, mentee_id) : undefined
        ]
      })
      return { rows: presentPage(rows), total }
    },

    /** Staff, or the match's mentor or mentee. */
    get (caller: Caller, id: number, includeDeleted?: boolean) {
      const match = tables.matches.get(caller.scope, id, seesDeleted(caller, includeDeleted))
      mayActOn(caller, partiesTo(match.id))
      return present(match)
    },

    /** One new ACTIVE match; inside a caller's transaction (a cohort, the demo) it reads what was written before it. */
    create (caller: Caller, input: NewMatch) {
      return immediately(store, () => {
        const mentor = named(loadMentor(caller, input.mentor_id, input.mentee_id), 'mentor')
        const mentee = named(loadMentee(caller, input.mentee_id), 'mentee')
        refuseForeign(mentee.profile, 'mentee', mentor.profile.organization_id)
        refuseSelf(mentor.profile, mentee.profile)
        refuseActivePair(mentor.activePair)
        refuseToTakeMentee(mentee)
        refuseToTakeMentor(mentor)
        const match = tables.matches.insert(caller.scope, {
          organization_id: mentor.profile.organization_id,
          mentor_id: mentor.profile.id,
          mentee_id: mentee.profile.id,
          status: 'ACTIVE',
          // Not given: the model's score of the pair, as suggestions and the assignment give it.
          match_score: input.match_score !== undefined ? input.match_score : scorePair(mentee.features, mentor.features, effectiveWeights('matching_weights', mentor.weights)),
          start_date: input.start_date ? utc(input.start_date) : now()
        })
        return { ...match, ...settle(caller, undefined, match, { mentors: [mentor], mentees: [mentee] }) }
      })
    },

    /** Status, dates, reason, score, re-pointing and soft deletion or restoration, with their consequences. */
    update (caller: Caller, id: number, changes: MatchChanges) {
      return immediately(store, () => {
        const before = tables.matches.get(caller.scope, id, changes.deleted === false && seesDeleted(caller, true))
        return updateWithin(caller, before, changes)
      })
    },

    softDelete (caller: Caller, id: number) {
      return immediately(store, () => updateWithin(caller, tables.matches.get(caller.scope, id), { deleted: true }))
    },

    /** Erases the match (its meetings go with it through the foreign key), freeing what it held. */
    erase (caller: Caller, id: number): void {
      immediately(store, () => {
        const match = tables.matches.get(caller.scope, id, seesDeleted(caller, true))
        const mentor = kept(loadMentor(caller, match.mentor_id, match.mentee_id), 'mentor', match.mentor_id)
        const mentee = kept(loadMentee(caller, match.mentee_id), 'mentee', match.mentee_id)
        // Told before the match goes, so their notifications may name it (its erasure then clears match_id).
        settle(caller, match, { ...match, deleted: true }, { mentors: [mentor], mentees: [mentee] })
        tables.matches.remove(caller.scope, match.id)
      })
    }
  }
}

export type Matches = ReturnType<typeof createMatches>
