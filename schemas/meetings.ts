import { Type } from '@sinclair/typebox'
import { DateTime, Id, Nullable, Prose, SoftDeletable, Text } from './common'

export const MeetingFields = {
  meeting_date: DateTime,
  location: Text(200),
  notes: Type.Optional(Nullable(Prose(5000))),
  rating: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 5, description: 'How the meeting went, 1 to 5' })))
}

export const MeetingRecord = Type.Object({
  id: Id,
  match_id: Id,
  meeting_date: DateTime,
  location: Type.String(),
  notes: Nullable(Type.String()),
  rating: Nullable(Type.Integer()),
  ...SoftDeletable
}, { description: 'A meeting of the mentor and mentee of a match' })
