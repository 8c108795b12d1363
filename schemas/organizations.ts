import { Type } from '@sinclair/typebox'
import { Id, Nullable, Prose, Text, Timestamps, Url } from './common'
import { MatchingWeights } from './matching'

export const OrganizationName = Text(100)
export const OrganizationDescription = Nullable(Prose(2000))
export const OrganizationLogo = Nullable(Url)

/** The weights set by an OWNER, a factor left out keeping its default; null: all the defaults. */
export const OrganizationWeights = Nullable(MatchingWeights)

/** The program's rhythm in days: at least one day, at most a year. */
const Days = (description: string) => Type.Integer({ minimum: 1, maximum: 365, description })

/** The program settings of an organization (API.md section 11), editable by its OWNER. */
export const OrganizationSettings = {
  requests_enabled: Type.Boolean({ description: 'Whether mentees may ask mentors directly (POST /api/requests)' }),
  request_expiry_days: Days('Days a mentee request waits for an answer before it expires'),
  inactive_match_days: Days('Days without a meeting after which an ACTIVE match counts as inactive'),
  pending_profile_days: Days('Days a profile may wait PENDING before staff are told')
}

/** The settings in a `PUT`: each one left out stays as it is. */
export const OrganizationSettingsChanges = {
  requests_enabled: Type.Optional(OrganizationSettings.requests_enabled),
  request_expiry_days: Type.Optional(OrganizationSettings.request_expiry_days),
  inactive_match_days: Type.Optional(OrganizationSettings.inactive_match_days),
  pending_profile_days: Type.Optional(OrganizationSettings.pending_profile_days)
}

export const OrganizationRecord = Type.Object({
  id: Id,
  name: Type.String(),
  description: Nullable(Type.String()),
  logo: Nullable(Type.String()),
  matching_weights: OrganizationWeights,
  ...OrganizationSettings,
  ...Timestamps
})
