import { Type } from '@sinclair/typebox'
import { DECLINE_REASONS, REQUEST_STATUSES } from '../db/schema'
import { DateTime, Id, Nullable, Prose, StringEnum, Timestamps } from './common'

export const RequestStatus = StringEnum(REQUEST_STATUSES, {
  description: 'OPEN: waiting for the mentor; ACCEPTED, DECLINED: answered; WITHDRAWN by the mentee; EXPIRED unanswered; CLOSED: the mentee was matched elsewhere'
})
export const DeclineReason = StringEnum(DECLINE_REASONS)
export const RequestMessage = Prose(1000, 1)
export const RequestRank = Type.Integer({ minimum: 1, maximum: 3, description: "The mentee's order of preference: 1 is the first choice" })
export const DeclineNote = Nullable(Prose(300))

export const RequestRecord = Type.Object({
  id: Id,
  mentee_id: Id,
  mentor_id: Id,
  rank: Type.Integer(),
  message: Nullable(Type.String()),
  status: RequestStatus,
  decline_reason: Nullable(DeclineReason),
  decline_note: Nullable(Type.String()),
  expires_at: DateTime,
  answered_at: Nullable(DateTime),
  match_id: Nullable(Id),
  age_hours: Type.Integer({ minimum: 0, description: 'Whole hours since the request was made' }),
  ...Timestamps
}, { description: 'A mentee asking a mentor directly; an OPEN request past expires_at reads EXPIRED' })
