import { Type } from '@sinclair/typebox'
import { Id, SoftDeletable, Text } from './common'

export const Content = Text(500)

export const NotificationRecord = Type.Object({
  id: Id,
  user_id: Id,
  content: Type.String(),
  watched: Type.Boolean(),
  ...SoftDeletable
}, { description: 'A message to one user (user_id); watched tells whether they have read it' })
