import { performance } from 'node:perf_hooks'
import { and, eq, sql } from 'drizzle-orm'
import { matches, type MatchingWeights, mentees, mentors, type ProfileStatus, users } from '../../db/schema'
import type { Caller } from '../caller'
import { conflict, invalid, notFound, Refusal } from '../errors'
import { holdingPlace } from '../matches/capacity'
import type { Matches } from '../matches'
import { preparedOnFirstUse } from '../prepared'
import { immediately, Scope, scopedList, scopedRead, type Store } from '../tenancy'
import { assign } from './assignment'
import { menteeFeatureColumns, menteeFeaturesOf, mentorColumns, mentorFeaturesOf } from './features'
import { createScorer, effectiveWeights, type Explained, type MenteeFeatures, type MentorFeatures, SCORE_SCALE } from './scoring'

export interface SuggestionQuery {
  mentee_id: number
  limit: number
  weights?: MatchingWeights
}

export interface PreviewRequest {
  lambda_week?: number
  mentee_ids?: number[]
  weights?: MatchingWeights
}

export interface PlannedPair {
  mentee_id: number
  mentor_id: number
  /** The preview's score; without it, the organization's model scores the pair. */
  score?: number
}

interface Mentor extends MentorFeatures {
  organization_id: number
  first_name: string | null
  last_name: string | null
}

interface Mentee extends MenteeFeatures {
  organization_id: number
  status: ProfileStatus
  lambda_week: number
}

export interface Unmatched { mentee_id: number, reason: string }
export interface Pair extends Explained { mentee_id: number, mentor_id: number }

/** Milliseconds spent reading the database, scoring the pairs and solving the assignment. */
export interface Timings { loading: number, scoring: number, solving: number }

/**
 * The mentors with a free place in a mentee's organization, and which of them may not take a given
 * mentee: the mentee's own mentor profile, and those already in an ACTIVE match with them. Found by
 * lookup, so a cohort's eligibility costs nothing per pair.
 */
function candidatesOf (mentors: Mentor[]) {
  const columnOfMentor = new Map(mentors.map((mentor, column) => [mentor.id, column]))
  const columnOfUser = new Map(mentors.map((mentor, column) => [mentor.user_id, column]))
  return {
    mentors,
    barred (mentee: Mentee, activeMentors: Iterable<number> = []): Set<number> {
      const columns = new Set<number>()
      const own = columnOfUser.get(mentee.user_id)
      if (own !== undefined) columns.add(own)
      for (const mentorId of activeMentors) {
        const column = columnOfMentor.get(mentorId)
        if (column !== undefined) columns.add(column)
      }
      return columns
    }
  }
}

function byOrganization<T extends { organization_id: number }> (rows: T[]): Map<number, T[]> {
  const groups = new Map<number, T[]>()
  for (const row of rows) {
    const group = groups.get(row.organization_id)
    if (group) group.push(row)
    else groups.set(row.organization_id, [row])
  }
  return groups
}

/**
 * Matching: suggestions of mentors for a mentee, the optimal assignment of a cohort (a preview that
 * writes nothing), and applying a preview through the match lifecycle. It reads with scoped,
 * prepared statements, then hands plain arrays to the pure scorer and solver.
 */
export function createMatching (store: Store, lifecycle: Matches) {
  const { db, tables } = store

  /** The mentors that may be given a mentee now: AVAILABLE, live, with a free place. */
  const availableMentors = scopedList(mentors.organization_id, (inScope) => db.select(mentorColumns).from(mentors).innerJoin(users, eq(users.id, mentors.user_id))
    .where(and(eq(mentors.status, 'AVAILABLE'), eq(mentors.deleted, false), inScope))
    .orderBy(mentors.id).prepare())

  const menteeColumns = {
    id: mentees.id,
    organization_id: mentees.organization_id,
    user_id: mentees.user_id,
    status: mentees.status,
    lambda_week: mentees.lambda_week,
    ...menteeFeatureColumns
  }
  const menteeRead = scopedRead(mentees.organization_id, (inScope) => db.select(menteeColumns)
    .from(mentees).innerJoin(users, eq(users.id, mentees.user_id))
    .where(and(eq(mentees.id, sql.placeholder('id')), eq(mentees.deleted, false), inScope)).prepare())
  const availableMentees = scopedList(mentees.organization_id, (inScope) => db.select(menteeColumns)
    .from(mentees).innerJoin(users, eq(users.id, mentees.user_id))
    .where(and(eq(mentees.status, 'AVAILABLE'), eq(mentees.deleted, false), inScope)).orderBy(mentees.id).prepare())
  const activePairs = scopedList(matches.organization_id, (inScope) => db.select({ mentor_id: matches.mentor_id, mentee_id: matches.mentee_id })
    .from(matches).where(and(eq(matches.status, 'ACTIVE'), eq(matches.deleted, false), inScope)).prepare())
  const activeMentorsOfMentee = preparedOnFirstUse(() => db.select({ mentor_id: matches.mentor_id }).from(matches)
    .where(holdingPlace(matches.mentee_id, sql.placeholder('mentee'))).prepare())

  function mentorsWithRoom (scope: Scope): Mentor[] {
    return availableMentors(scope, {}).filter((row) => row.active < row.capacity)
      .map((row) => ({ ...mentorFeaturesOf(row), organization_id: row.organization_id, first_name: row.first_name, last_name: row.last_name }))
  }

  const menteeOf = (row: Mentee): Mentee =>
    ({ ...menteeFeaturesOf(row), organization_id: row.organization_id, status: row.status, lambda_week: row.lambda_week })

  const weightsOf = (organizationId: number, requested: MatchingWeights | undefined) =>
    effectiveWeights('weights', tables.organizations.get(Scope.organization(organizationId), organizationId).matching_weights, requested)

  /** The mentees a preview assigns, and why the ones it was asked for but leaves out are left out. */
  function cohortOf (caller: Caller, { lambda_week, mentee_ids }: PreviewRequest): { cohort: Mentee[], left: Unmatched[] } {
    const inWeek = (mentee: Mentee) => lambda_week === undefined || mentee.lambda_week === lambda_week
    const available = availableMentees(caller.scope, {}).map(menteeOf)
    if (mentee_ids === undefined) return { cohort: available.filter(inWeek), left: [] }
    const byId = new Map(available.map((mentee) => [mentee.id, mentee]))
    const cohort: Mentee[] = []
    const left: Unmatched[] = []
    for (const id of new Set(mentee_ids)) {
      const found = byId.get(id) ?? menteeRead(caller.scope, { id })
      const mentee = found && menteeOf(found)
      if (!mentee) throw invalid(`mentee_ids: there is no mentee profile ${id} in your organization`)
      if (mentee.status !== 'AVAILABLE') left.push({ mentee_id: id, reason: `the mentee is ${mentee.status}: only AVAILABLE mentees are assigned` })
      else if (!inWeek(mentee)) left.push({ mentee_id: id, reason: `the mentee is in lambda week ${mentee.lambda_week}, not ${lambda_week}` })
      else cohort.push(mentee)
    }
    // In id order whatever the order asked in, so that equal assignments are broken the same way.
    return { cohort: cohort.sort((a, b) => a.id - b.id), left }
  }

  return {
    /** The mentors a mentee may be matched with now, best first, scored as the assignment scores them. */
    suggestions (caller: Caller, { mentee_id, limit, weights }: SuggestionQuery) {
      const row = menteeRead(caller.scope, { id: mentee_id })
      if (!row) throw notFound('Mentee')
      const mentee = menteeOf(row)
      // Read for the mentee's own organization: the ADMINISTRATOR sees every one, a mentee has one.
      const candidates = candidatesOf(mentorsWithRoom(Scope.organization(mentee.organization_id)))
      const barred = candidates.barred(mentee, activeMentorsOfMentee.all({ mentee: mentee.id }).map((match) => match.mentor_id))
      const scorer = createScorer(candidates.mentors, weightsOf(mentee.organization_id, weights))
      const scores = new Int32Array(candidates.mentors.length)
      scorer.scoresOf(mentee, scores)
      const ranked = candidates.mentors.map((mentor, index) => ({ mentor, index }))
        .filter(({ index }) => !barred.has(index))
        .sort((a, b) => scores[b.index]! - scores[a.index]! || a.mentor.id - b.mentor.id)
      const rows = ranked.slice(0, limit).map(({ mentor, index }) => ({
        mentor_id: mentor.id,
        ...scorer.explain(mentee, index),
        mentor: {
          id: mentor.id,
          user_id: mentor.user_id,
          capacity: mentor.capacity,
          active_matches: mentor.active,
          user: { id: mentor.user_id, first_name: mentor.first_name, last_name: mentor.last_name }
        }
      }))
      return { rows, total: ranked.length }
    },

    /**
     * The assignment of the cohort (the AVAILABLE mentees, narrowed to `lambda_week` and
     * `mentee_ids`) that matches the most mentees and, among those, scores the most. Writes nothing.
     */
    preview (caller: Caller, request: PreviewRequest) {
      const started = performance.now()
      const { cohort, left } = cohortOf(caller, request)
      const mentorsByOrganization = byOrganization(mentorsWithRoom(caller.scope))
      const activeMentors = new Map<number, Set<number>>()
      for (const { mentor_id, mentee_id } of activePairs(caller.scope, {})) {
        const held = activeMentors.get(mentee_id) ?? new Set<number>()
        held.add(mentor_id)
        activeMentors.set(mentee_id, held)
      }
      const timings: Timings = { loading: performance.now() - started, scoring: 0, solving: 0 }

      const pairs: Pair[] = []
      const unmatched = [...left]
      let totalMillionths = 0
      // Organizations share no mentor, so each one's cohort is solved on its own.
      for (const [organizationId, group] of byOrganization(cohort)) {
        const scoringStarted = performance.now()
        const { mentors: candidates, barred } = candidatesOf(mentorsByOrganization.get(organizationId) ?? [])
        const scorer = createScorer(candidates, weightsOf(organizationId, request.weights))
        const scores = new Int32Array(group.length * candidates.length)
        const eligible = new Int32Array(group.length)
        group.forEach((mentee, row) => {
          const scoresOfMentee = scores.subarray(row * candidates.length, (row + 1) * candidates.length)
          scorer.scoresOf(mentee, scoresOfMentee)
          const columns = barred(mentee, activeMentors.get(mentee.id))
          for (const column of columns) scoresOfMentee[column] = -1
          eligible[row] = candidates.length - columns.size
        })
        const solvingStarted = performance.now()
        timings.scoring += solvingStarted - scoringStarted
        const { mentorOf } = assign({
          menteeCount: group.length,
          capacities: candidates.map((mentor) => mentor.capacity - mentor.active),
          scores,
          scale: SCORE_SCALE
        })
        timings.solving += performance.now() - solvingStarted

        group.forEach((mentee, row) => {
          const column = mentorOf[row]!
          if (column >= 0) {
            totalMillionths += scores[row * candidates.length + column]!
            pairs.push({ mentee_id: mentee.id, mentor_id: candidates[column]!.id, ...scorer.explain(mentee, column) })
          } else {
            unmatched.push({ mentee_id: mentee.id, reason: unplacedReason(candidates.length, eligible[row]!, group.length) })
          }
        })
      }
      pairs.sort((a, b) => a.mentee_id - b.mentee_id)
      unmatched.sort((a, b) => a.mentee_id - b.mentee_id)
      return { pairs, unmatched, total_score: totalMillionths / SCORE_SCALE, timings }
    },

    /**
     * Creates the matches of a preview in one transaction, through the same lifecycle as a match
     * made by hand (its checks, statuses and notifications). The first pair refused undoes them all.
     */
    apply (caller: Caller, pairs: PlannedPair[]) {
      return immediately(store, () => pairs.map((pair, index) => {
        try {
          return lifecycle.create(caller, { mentor_id: pair.mentor_id, mentee_id: pair.mentee_id, match_score: pair.score })
        } catch (error) {
          if (!(error instanceof Refusal) || (error.kind !== 'conflict' && error.kind !== 'invalid')) throw error
          throw conflict(`Pair ${index + 1} (mentee_id ${pair.mentee_id}, mentor_id ${pair.mentor_id}) is no longer possible, nothing was written: ${error.message}`)
        }
      }))
    }
  }
}

/**
 * Why a mentee of the cohort was left unmatched. The assignment matches as many as it can, so a
 * mentee with any eligible mentor left out means every such mentor's places went to others.
 */
function unplacedReason (mentorsWithRoom: number, eligible: number, cohortSize: number): string {
  if (mentorsWithRoom === 0) return 'no AVAILABLE mentor of the organization has a free place'
  if (eligible === 0) return 'no mentor with a free place may take this mentee: the only ones are already in an ACTIVE match with them or are their own mentor profile'
  return `every free place of the ${eligible} mentor${eligible === 1 ? '' : 's'} who could take this mentee went to another of the ${cohortSize} mentees of the cohort`
}

export type Matching = ReturnType<typeof createMatching>
