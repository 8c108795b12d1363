import { Type } from '@sinclair/typebox'
import { MATCH_STATUSES } from '../db/schema'
import { DateTime, Id, Nullable, ProfileStatus, Prose, SoftDeletable, StringEnum } from './common'

export const MatchStatus = StringEnum(MATCH_STATUSES)
export const MatchScore = Nullable(Type.Number({ minimum: 0, maximum: 1, description: 'How well the pair fits, 0 to 1' }))
export const MatchDate = Nullable(DateTime)

export const CancelReason = Nullable(Prose(1000))

const ProfileSummary = Type.Object({
  id: Id,
  user_id: Id,
  status: ProfileStatus,
  user: Type.Object({ id: Id, first_name: Nullable(Type.String()), last_name: Nullable(Type.String()) })
})

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
