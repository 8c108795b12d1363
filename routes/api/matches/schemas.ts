import { type Static, Type } from '@sinclair/typebox'
import { MATCH_STATUSES } from '../../../db/schema'
import { ProfileStatusSchema } from '../profiles'
import { DateTime, Id, Nullable, SoftDeletable, StringEnum } from '../../schemas'

export const MatchStatus = StringEnum(MATCH_STATUSES)
export const MatchScore = Nullable(Type.Number({ minimum: 0, maximum: 1, description: 'How well the pair fits, 0 to 1' }))
export const MatchDate = Nullable(DateTime)
/** Dates are kept in UTC, so that they sort and compare as text. */
export const utc = (dateTime: string) => new Date(dateTime).toISOString()

export const CancelReason = Nullable(Type.String({ maxLength: 1000 }))

const ProfileSummary = Type.Object({
  id: Id,
  user_id: Id,
  status: ProfileStatusSchema,
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
