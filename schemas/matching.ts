import { Type } from '@sinclair/typebox'
import { DEFAULT_WEIGHTS, WEIGHT_NAMES } from '../domain/matching/scoring'
import { Body, Id, Nullable } from './common'
import { LambdaWeek } from './mentees'

const WEIGHT_MEANINGS: Record<(typeof WEIGHT_NAMES)[number], string> = {
  interests: "the share of the mentee's interests that the mentor's experiences or bio name",
  experiences: "the share of the mentee's interests that the mentor's experiences name",
  wanted_mentor: 'whether the mentee asked for this mentor (wanted_mentor_id)',
  location: 'how near the ZIP codes are: the same ZIP, the same first three digits, the same first two',
  load_balance: "the mentor's free share of its capacity"
}

const weight = (name: (typeof WEIGHT_NAMES)[number]) =>
  Type.Number({ minimum: 0, maximum: 1000, description: `How much counts ${WEIGHT_MEANINGS[name]} (default ${DEFAULT_WEIGHTS[name]})` })

/** Any weight left out keeps its default; at least one must be above 0 (the domain checks it). */
export const MatchingWeights = Type.Object({
  interests: Type.Optional(weight('interests')),
  experiences: Type.Optional(weight('experiences')),
  wanted_mentor: Type.Optional(weight('wanted_mentor')),
  location: Type.Optional(weight('location')),
  load_balance: Type.Optional(weight('load_balance'))
}, { additionalProperties: false, description: 'How much each factor of a pair counts; a factor left out keeps its default, and at least one must be above 0' })

/** The same weights as query parameters of a GET: `weight_location=0.5`. */
export const WeightQuery = {
  weight_interests: Type.Optional(weight('interests')),
  weight_experiences: Type.Optional(weight('experiences')),
  weight_wanted_mentor: Type.Optional(weight('wanted_mentor')),
  weight_location: Type.Optional(weight('location')),
  weight_load_balance: Type.Optional(weight('load_balance'))
}

const Score = Type.Number({ minimum: 0, maximum: 1, description: 'How well the pair fits, 0 to 1 (in millionths)' })
const Reasons = Type.Array(Type.String(), { description: 'What made the score, in words' })

export const Suggestion = Type.Object({
  mentor_id: Id,
  score: Score,
  reasons: Reasons,
  mentor: Type.Object({
    id: Id,
    user_id: Id,
    capacity: Type.Integer(),
    active_matches: Type.Integer(),
    user: Type.Object({ id: Id, first_name: Nullable(Type.String()), last_name: Nullable(Type.String()) })
  })
}, { description: 'A mentor who may take the mentee now, with its score and why' })

const AssignedPair = Type.Object({ mentee_id: Id, mentor_id: Id, score: Score, reasons: Reasons })

export const PreviewBody = Body({
  lambda_week: Type.Optional({ ...LambdaWeek, description: 'Only the mentees of this cohort week' }),
  mentee_ids: Type.Optional(Type.Array(Id, { minItems: 1, maxItems: 100_000, description: 'Only these mentees' })),
  weights: Type.Optional(MatchingWeights)
})

export const Preview = Type.Object({
  pairs: Type.Array(AssignedPair),
  unmatched: Type.Array(Type.Object({ mentee_id: Id, reason: Type.String() })),
  total_score: Type.Number({ description: 'The sum of the scores of the pairs' })
}, { description: 'The optimal assignment: the most mentees matched, then the greatest total score. Nothing is written.' })

export const ApplyBody = Body({
  pairs: Type.Array(Type.Object({
    mentee_id: Id,
    mentor_id: Id,
    score: Type.Optional({ ...Score, description: "Recorded as the match's match_score; without it the organization's model scores the pair" }),
    reasons: Type.Optional({ ...Reasons, description: "Ignored: accepted so that a preview's pairs can be sent back as they are" })
  }, { additionalProperties: false }), { minItems: 1, maxItems: 100_000 })
})

/** The weights a GET names as `weight_<name>`, or undefined when it names none. */
export function weightsOfQuery (query: Partial<Record<keyof typeof WeightQuery, number>>) {
  const given = Object.entries(query).filter(([, value]) => value !== undefined)
  return given.length === 0 ? undefined : Object.fromEntries(given.map(([name, value]) => [name.slice('weight_'.length), value]))
}
