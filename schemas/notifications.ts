import { Type } from '@sinclair/typebox'
import { Id, Prose, SoftDeletable } from './common'

export const Content = Prose(500, 1)

export const NotificationRecord = Type.Object({
  id: Id,
  user_id: Id,
  content: Type.String(),
  watched: Type.Boolean(),
  ...SoftDeletable
}, { description: 'A message to one user (user_id); watched tells whether they have read it' })
