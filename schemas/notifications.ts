import { Type } from '@sinclair/typebox'
import { Id, Nullable, Prose, SoftDeletable } from './common'

export const Content = Prose(500, 1)

/** The other person a notification is about: the partner of a match, the mentee who asked. */
const About = Type.Object({ id: Id, first_name: Nullable(Type.String()), last_name: Nullable(Type.String()) })

export const NotificationRecord = Type.Object({
  id: Id,
  user_id: Id,
  content: Type.String(),
  watched: Type.Boolean(),
  match_id: Nullable(Id),
  about: Nullable(About),
  ...SoftDeletable
}, { description: 'A message to one user (user_id); watched tells whether they have read it; match_id and about say what and whom it is about' })
