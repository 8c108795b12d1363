import { Type } from '@sinclair/typebox'
import { Id, Nullable, Prose, Text, Timestamps, Url } from './common'
import { MatchingWeights } from './matching'

export const OrganizationName = Text(100)
export const OrganizationDescription = Nullable(Prose(2000))
export const OrganizationLogo = Nullable(Url)

/** The weights set by an OWNER, a factor left out keeping its default; null: all the defaults. */
export const OrganizationWeights = Nullable(MatchingWeights)

export const OrganizationRecord = Type.Object({
  id: Id,
  name: Type.String(),
  description: Nullable(Type.String()),
  logo: Nullable(Type.String()),
  matching_weights: OrganizationWeights,
  ...Timestamps
})
