import { Type } from '@sinclair/typebox'
import { Id, Nullable, OptionalText, ProfileStatus, SoftDeletable } from './common'
import { UserSummary } from './users'

export const LambdaWeek = Type.Integer({ minimum: 1, description: 'The cohort week of the mentee' })
const DesiredZip = Type.String({ pattern: '^[0-9]{5}$', description: 'A 5-digit zip code' })

const MenteeFields = {
  desired_zip: Type.Optional(Nullable(DesiredZip)),
  interests: OptionalText(2000),
  application_answers: OptionalText(10000),
  wanted_mentor_id: Type.Optional(Nullable({ ...Id, description: 'A mentor profile of the organization' }))
}

export const MenteeRecord = Type.Object({
  id: Id,
  user_id: Id,
  status: ProfileStatus,
  lambda_week: LambdaWeek,
  desired_zip: Nullable(Type.String()),
  interests: Nullable(Type.String()),
  application_answers: Nullable(Type.String()),
  wanted_mentor_id: Nullable(Id),
  user: UserSummary,
  ...SoftDeletable
}, { description: "A mentee's profile" })

export const MenteeCreate = {
  user_id: Type.Optional(Id),
  status: Type.Optional(ProfileStatus),
  lambda_week: LambdaWeek,
  ...MenteeFields
}

export const MenteeUpdate = {
  status: Type.Optional(ProfileStatus),
  lambda_week: Type.Optional(LambdaWeek),
  ...MenteeFields,
  deleted: Type.Optional(Type.Boolean({ description: 'true deletes it, as DELETE does; false restores a soft-deleted one (staff)' }))
}

/** The seed answers 404, not 400, to a new mentee without lambda_week (absent or null). */
export const LAMBDA_WEEK_REQUIRED = {
  lambda_week: { statusCode: 404, error: 'lambda_week is required: the cohort week of the mentee, an integer from 1' }
}
