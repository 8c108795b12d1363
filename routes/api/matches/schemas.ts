import { type Static, Type } from '@sinclair/typebox'
import { MATCH_STATUSES, PROFILE_STATUSES } from '../../../db/schema'
import { DateTime, Id, Nullable, SoftDeletable } from '../../schemas'

/** `enum` rather than a union of literals, so a wrong value reads "must be one of ...". */
const OneOf = <const V extends readonly string[]>(values: V) =>
  Type.Unsafe<V[number]>({ type: 'string', enum: [...values] })

export const MatchStatus = OneOf(MATCH_STATUSES)
export const MatchScore = Nullable(Type.Number({ minimum: 0, maximum: 1, description: 'How well the pair fits, 0 to 1' }))
export const MatchDate = Nullable(DateTime)
/** Dates are kept in UTC, so that they sort and compare as text. */
export const utc = (dateTime: string) => new Date(dateTime).toISOString()

export const CancelReason = Nullable(Type.String({ maxLength: 1000 }))

const ProfileSummary = Type.Object({
  id: Id,
  user_id: Id,
  status: OneOf(PROFILE_STATUSES),
  user: Type.Object({ id: Id, first_name: Nullable(Type.String()), last_name: Nullable(Type.String()) })
})
export type ProfileSummary = Static<typeof ProfileSummary>

export const MatchRecord = Type.Object({
  id: Id,
  mentor_id: Id,
  mentee_id: Id,
  status: MatchStatus,
  match_score: Nullable(Type.Number()),
  start_date: Nullable(Type.String()),
  end_date: Nullable(Type.String()),
  cancel_reason: Nullable(Type.String()),
  mentor: ProfileSummary,
  mentee: ProfileSummary,
  ...SoftDeletable
}, { description: 'A mentor profile paired with a mentee profile of the same organization' })
