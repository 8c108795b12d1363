import { Type } from '@sinclair/typebox'
import { INVITATION_ROLES, INVITATION_STATUSES } from '../db/schema'
import { Body, DateTime, Email, ErrorBody, Id, Line, Nullable, StringEnum, Timestamps } from './common'

export const InvitationRole = StringEnum(INVITATION_ROLES)
export const InvitationStatus = StringEnum(INVITATION_STATUSES)
/** `role` of a new invitation: MENTEE unless said otherwise. */
export const NewInvitationRole = StringEnum(INVITATION_ROLES, { default: 'MENTEE' })

/** The fields of one invitation: the body of POST /api/invitations, and each row of an import. */
export const InvitationFields = {
  email: Email,
  name: Type.Optional(Nullable(Line(200))),
  role: Type.Optional(NewInvitationRole)
}

/** The cohort week an invitation carries: the invited mentee's profile form starts from it. */
export const CohortWeek = Type.Integer({ minimum: 1, maximum: 1000, description: "The cohort week: the invited mentee's profile form starts from it" })

/** The body of POST /api/invitations: an invitation, optionally its cohort week and (the ADMINISTRATOR's) organization. */
export const NewInvitation = Body({ ...InvitationFields, lambda_week: Type.Optional(Nullable(CohortWeek)), organization_id: Type.Optional(Id) })

/** One row of an invitations file: an invitation and, optionally, the cohort week (stored as the invitation's lambda_week). */
export const InvitationRow = Body({ ...InvitationFields, week: Type.Optional(CohortWeek) })

/** The invitee's routes take the secret token of the link; a token that is not one simply finds nothing. */
export const InvitationTokenParams = Type.Object({
  invitation: Type.String({ minLength: 1, maxLength: 100, description: 'The token from the invitation link (43 characters, base64url)' })
})

/** Staff routes take the invitation's plain id. */
export const InvitationIdParams = Type.Object({ invitation: { ...Id, description: "The invitation's id" } })

export const InvitationRecord = Type.Object({
  id: Id,
  organization_id: Id,
  email: Email,
  name: Nullable(Type.String()),
  role: InvitationRole,
  invited_by: Nullable(Id),
  status: InvitationStatus,
  expires_at: DateTime,
  accepted_at: Nullable(DateTime),
  lambda_week: Nullable(CohortWeek),
  ...Timestamps
}, { description: 'An invitation to join an organization; its token is never shown here' })

/** The answer to creating or resending an invitation: the only ones that carry its token. */
export const IssuedInvitation = Type.Object({
  ...InvitationRecord.properties,
  token: Type.String({ description: 'The secret of the invitation link: shown only now, stored only as a hash' }),
  accept_url: Type.String({ description: 'The link to send: APP_URL/invitations/<token>, or this server\'s own /api/invitations/<token>' }),
  email_sent: Type.Boolean({ description: 'Whether the invitation email went out' }),
  email_error: Type.Optional(Type.String({ description: 'Why it did not, when sending failed' }))
})

/** What the invitee sees before accepting. */
export const InvitationPreview = Type.Object({
  email: Email,
  name: Nullable(Type.String()),
  role: InvitationRole,
  status: InvitationStatus,
  expires_at: DateTime,
  organization: Type.Object({ id: Id, name: Type.String(), logo: Nullable(Type.String()) })
})

/** One row's outcome in an import: created (with its invitation), valid (a dry run), or refused and why. */
export const ImportedRow = Type.Object({
  row: Type.Integer({ minimum: 1, description: 'The row\'s position: 1 is the first row after the header (or the first element of the array)' }),
  email: Nullable(Type.String({ description: 'The email as given, trimmed and lower-cased' })),
  status: StringEnum(['created', 'valid', 'refused'] as const, {
    description: 'created: written (and emailed when SMTP is configured); valid: a dry run found nothing wrong; refused: see error'
  }),
  week: Type.Optional(Type.Integer()),
  error: Type.Optional(Type.String({ description: 'Why the row was refused, in the words a single invitation would get' })),
  details: Type.Optional(ErrorBody.properties.details),
  invitation: Type.Optional(IssuedInvitation)
})

export const ImportResult = Type.Object({
  dry_run: Type.Boolean(),
  summary: Type.Object({
    rows: Type.Integer(),
    valid: Type.Integer({ description: 'Rows that passed every check (written, unless a dry run)' }),
    created: Type.Integer(),
    refused: Type.Integer(),
    emails_sent: Type.Integer()
  }),
  results: Type.Array(ImportedRow)
}, { description: 'The file was read: one result per row, in order, and how many rows ended each way (refused rows do not make it fail)' })
