import type { MatchingWeights } from '../../db/schema'
import { invalid } from '../errors'
import { termsOf } from './terms'

/**
 * How well a mentor fits a mentee, from what the profiles hold: a number from 0 to 1 and the
 * reasons behind it. No HTTP and no database here: the suggestions, the cohort assignment and a
 * match made by hand all score through `createScorer`, so one pair has one score everywhere.
 */

export type Weights = Required<MatchingWeights>

/** The weights an organization starts with; they sum to 1, so each reads as a share of the score. */
export const DEFAULT_WEIGHTS: Weights = {
  interests: 0.35,
  experiences: 0.25,
  wanted_mentor: 0.2,
  location: 0.1,
  load_balance: 0.1
}

export const WEIGHT_NAMES = Object.keys(DEFAULT_WEIGHTS) as Array<keyof Weights>

/** Scores are whole millionths: the solver then works in exact integers, and 6 decimals are plenty. */
export const SCORE_SCALE = 1_000_000

/**
 * The weights in effect: the defaults, then each layer that is given (the organization's, then a
 * request's), a later one winning. Refused when they would all be 0, since every score would then
 * be 0 of 0; `field` names what to fix.
 */
export function effectiveWeights (field: string, ...layers: Array<MatchingWeights | null | undefined>): Weights {
  const weights = { ...DEFAULT_WEIGHTS }
  for (const layer of layers) {
    for (const name of WEIGHT_NAMES) {
      const value = layer?.[name]
      if (value !== undefined) weights[name] = value
    }
  }
  if (!WEIGHT_NAMES.some((name) => weights[name] > 0)) throw invalid(`${field}: at least one weight must be above 0`)
  return weights
}

export interface MenteeFeatures {
  id: number
  user_id: number
  interests: string | null
  /** Where the mentee wants to meet: the desired ZIP, else the ZIP of their address. */
  zip: string | null
  wanted_mentor_id: number | null
}

export interface MentorFeatures {
  id: number
  user_id: number
  bio: string | null
  experiences: string[]
  zip: string | null
  capacity: number
  /** Live matches holding it now. */
  active: number
}

export interface Explained {
  score: number
  reasons: string[]
}

/** How close two ZIP codes are, by the digits they share from the left: all five, the first three, the first two. */
const NEARNESS = [
  { divisor: 1, value: 1, reason: (zip: string) => `same ZIP (${zip})` },
  { divisor: 100, value: 0.75, reason: (zip: string) => `same area (ZIP ${zip.slice(0, 3)}..)` },
  { divisor: 1000, value: 0.4, reason: (zip: string) => `same region (ZIP ${zip.slice(0, 2)}...)` }
] as const

/** The first five digits of a ZIP code, or null when it has fewer. */
function zipOf (text: string | null): string | null {
  const digits = text?.replace(/\D/g, '') ?? ''
  return digits.length >= 5 ? digits.slice(0, 5) : null
}

/** A ZIP code as a number, so that a cohort compares prefixes by division; -1 when there is none. */
const zipNumber = (zip: string | null) => zip === null ? -1 : Number(zip)

/** Which level of `NEARNESS` two ZIP numbers reach, or -1. */
function nearnessLevel (menteeZip: number, mentorZip: number): number {
  if (menteeZip < 0 || mentorZip < 0) return -1
  return NEARNESS.findIndex(({ divisor }) => Math.floor(menteeZip / divisor) === Math.floor(mentorZip / divisor))
}

/** A mentor's free share of its capacity: 1 when it mentors nobody yet. */
const spareOf = (mentor: MentorFeatures) => Math.max(0, mentor.capacity - mentor.active) / mentor.capacity

/**
 * The score, from the share of the mentee's terms the mentor's bio or experiences name, the share
 * its experiences name, whether the mentee asked for it, how near it is and how free. Written
 * once, so every path to a score adds the same numbers in the same order.
 */
function scoreOf (weights: Weights, total: number, shared: number, listed: number, wanted: boolean, nearness: number, spare: number): number {
  const sum = weights.interests * shared + weights.experiences * listed + (wanted ? weights.wanted_mentor : 0) +
    weights.location * nearness + weights.load_balance * spare
  return Math.round(SCORE_SCALE * sum / total)
}

/**
 * Scores every mentor of `mentors` for a mentee, in whole millionths (`scoresOf`), and explains one
 * pair in words (`explain`). The mentors' terms are indexed once, so scoring a cohort costs a pass
 * over the mentors per mentee plus the postings of the mentee's own terms.
 */
export function createScorer (mentors: MentorFeatures[], weights: Weights) {
  const total = WEIGHT_NAMES.reduce((sum, name) => sum + weights[name], 0)
  if (!(total > 0)) throw new Error('the weights in effect are all 0: effectiveWeights refuses them')
  const vocabulary = new Map<string, number>()
  const idOf = (term: string) => {
    let id = vocabulary.get(term)
    if (id === undefined) {
      id = vocabulary.size
      vocabulary.set(term, id)
    }
    return id
  }
  // For each term, the mentors whose bio or experiences name it, and those whose experiences do.
  const named: number[][] = []
  const listed: number[][] = []
  const post = (postings: number[][], term: number, mentor: number) => {
    const list = postings[term] ?? (postings[term] = [])
    if (list.at(-1) !== mentor) list.push(mentor)
  }
  const mentorTerms = mentors.map((mentor, index) => {
    const fromExperiences = new Set(termsOf(mentor.experiences.join(', ')).map(({ term }) => idOf(term)))
    const fromBio = termsOf(mentor.bio).map(({ term }) => idOf(term))
    for (const term of fromExperiences) {
      post(named, term, index)
      post(listed, term, index)
    }
    for (const term of fromBio) if (!fromExperiences.has(term)) post(named, term, index)
    return { listed: fromExperiences, named: new Set([...fromExperiences, ...fromBio]) }
  })
  const zips = Int32Array.from(mentors, (mentor) => zipNumber(zipOf(mentor.zip)))
  // The nearness of a mentee's ZIP to each ZIP the mentors have is worked out once per distinct ZIP.
  const distinctZips = [...new Set(zips)]
  const zipIndex = Int32Array.from(zips, (zip) => distinctZips.indexOf(zip))
  const nearness = new Float64Array(distinctZips.length)
  const spare = Float64Array.from(mentors, spareOf)
  const ids = Int32Array.from(mentors, (mentor) => mentor.id)
  const sharedCount = new Int32Array(mentors.length)
  const listedCount = new Int32Array(mentors.length)

  function menteeTerms (mentee: MenteeFeatures) {
    return termsOf(mentee.interests).map(({ term, word }) => ({ word, id: vocabulary.get(term) }))
  }

  return {
    /** Writes the score of every mentor for the mentee into `out`, in whole millionths. */
    scoresOf (mentee: MenteeFeatures, out: Int32Array): void {
      const terms = menteeTerms(mentee)
      sharedCount.fill(0)
      listedCount.fill(0)
      for (const { id } of terms) {
        if (id === undefined) continue
        for (const mentor of named[id] ?? []) sharedCount[mentor]!++
        for (const mentor of listed[id] ?? []) listedCount[mentor]!++
      }
      const count = Math.max(terms.length, 1)
      const zip = zipNumber(zipOf(mentee.zip))
      distinctZips.forEach((mentorZip, index) => { nearness[index] = NEARNESS[nearnessLevel(zip, mentorZip)]?.value ?? 0 })
      const wanted = mentee.wanted_mentor_id
      for (let mentor = 0; mentor < mentors.length; mentor++) {
        out[mentor] = scoreOf(weights, total, sharedCount[mentor]! / count, listedCount[mentor]! / count,
          wanted === ids[mentor], nearness[zipIndex[mentor]!]!, spare[mentor]!)
      }
    },

    /** The score of one pair, from 0 to 1, with the reasons of each factor that counts. */
    explain (mentee: MenteeFeatures, mentor: number): Explained {
      const terms = menteeTerms(mentee)
      const { named: namedTerms, listed: listedTerms } = mentorTerms[mentor]!
      const shared = terms.filter(({ id }) => id !== undefined && namedTerms.has(id)).map(({ word }) => word)
      const inExperiences = terms.filter(({ id }) => id !== undefined && listedTerms.has(id)).map(({ word }) => word)
      const count = Math.max(terms.length, 1)
      const profile = mentors[mentor]!
      const wanted = mentee.wanted_mentor_id === profile.id
      const zip = zipOf(mentee.zip)
      const near = NEARNESS[nearnessLevel(zipNumber(zip), zips[mentor]!)]
      const score = scoreOf(weights, total, shared.length / count, inExperiences.length / count, wanted, near?.value ?? 0, spare[mentor]!)

      const reasons: string[] = []
      if (weights.interests > 0 && shared.length > 0) reasons.push(`shared interests: ${shared.join(', ')}`)
      if (weights.experiences > 0 && inExperiences.length > 0) reasons.push(`lists experience in: ${inExperiences.join(', ')}`)
      if (weights.wanted_mentor > 0 && wanted) reasons.push('the mentee asked for this mentor')
      if (weights.location > 0 && near && zip) reasons.push(near.reason(zip))
      if (weights.load_balance > 0 && spare[mentor]! > 0) {
        reasons.push(`spare capacity: ${profile.capacity - profile.active} of ${profile.capacity} places free`)
      }
      if (reasons.length === 0) reasons.push('nothing in common found: no shared interest, request, nearby ZIP or weighted spare capacity')
      return { score: score / SCORE_SCALE, reasons }
    }
  }
}

export type Scorer = ReturnType<typeof createScorer>

/** The score of one pair, from 0 to 1: what a match made by hand records. */
export function scorePair (mentee: MenteeFeatures, mentor: MentorFeatures, weights: Weights): number {
  const score = new Int32Array(1)
  createScorer([mentor], weights).scoresOf(mentee, score)
  return score[0]! / SCORE_SCALE
}
