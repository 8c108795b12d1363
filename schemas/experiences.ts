import { Type } from '@sinclair/typebox'
import { Id, SoftDeletable, Text } from './common'

export const ExperienceName = Text(100)

export const ExperienceRecord = Type.Object({
  id: Id,
  user_id: Id,
  name: Type.String(),
  ...SoftDeletable
}, { description: "One of a person's skills or background, by name" })

export const ExperienceUpdate = {
  name: Type.Optional(ExperienceName),
  deleted: Type.Optional(Type.Boolean({ description: 'true deletes it, as DELETE does; false restores a soft-deleted one (staff)' }))
}
