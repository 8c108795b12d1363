import { Type } from '@sinclair/typebox'
import { Id, Nullable, Prose, Text, Timestamps, Url } from './common'

export const OrganizationName = Text(100)
export const OrganizationDescription = Nullable(Prose(2000))
export const OrganizationLogo = Nullable(Url)

export const OrganizationRecord = Type.Object({
  id: Id,
  name: Type.String(),
  description: Nullable(Type.String()),
  logo: Nullable(Type.String()),
  ...Timestamps
})
