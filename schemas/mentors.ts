import { Type } from '@sinclair/typebox'
import { Id, Nullable, OptionalText, ProfileStatus, SoftDeletable } from './common'
import { UserSummary } from './users'

const Capacity = Type.Integer({ minimum: 1, maximum: 20, description: 'How many mentees at once' })
const Bio = OptionalText(2000)

export const MentorRecord = Type.Object({
  id: Id,
  user_id: Id,
  status: ProfileStatus,
  capacity: Capacity,
  bio: Nullable(Type.String()),
  user: UserSummary,
  active_matches: Type.Integer({ minimum: 0, description: 'ACTIVE matches the mentor holds now' }),
  ...SoftDeletable
}, { description: "A mentor's profile" })

export const MentorCreate = {
  user_id: Type.Optional(Id),
  status: Type.Optional(ProfileStatus),
  capacity: Type.Optional(Capacity),
  bio: Bio
}

export const MentorUpdate = {
  status: Type.Optional(ProfileStatus),
  capacity: Type.Optional(Capacity),
  bio: Bio,
  deleted: Type.Optional(Type.Boolean({ description: 'true deletes it, as DELETE does; false restores a soft-deleted one (staff)' }))
}
