import { Type } from '@sinclair/typebox'
import { INVITATION_ROLES, INVITATION_STATUSES } from '../db/schema'
import { DateTime, Email, Id, Nullable, StringEnum, Timestamps } from './common'

export const InvitationRole = StringEnum(INVITATION_ROLES)
export const InvitationStatus = StringEnum(INVITATION_STATUSES)
/** `role` of a new invitation: MENTEE unless said otherwise. */
export const NewInvitationRole = StringEnum(INVITATION_ROLES, { default: 'MENTEE' })

/** Not a number: the id is the invitation's secret token, so a guessed number simply finds nothing. */
export const InvitationParams = Type.Object({
  invitation_id: Type.String({ minLength: 1, maxLength: 200, description: 'The invitation token from the invitation link' })
})

export const InvitationRecord = Type.Object({
  id: Type.String({ description: 'The unguessable token that identifies the invitation' }),
  organization_id: Id,
  email: Email,
  name: Nullable(Type.String()),
  role: InvitationRole,
  invited_by: Nullable(Id),
  status: InvitationStatus,
  expires_at: DateTime,
  accepted_at: Nullable(DateTime),
  accept_url: Nullable(Type.String({ description: 'APP_URL/invitation/<id>, or null when APP_URL is unset' })),
  ...Timestamps
}, { description: 'An invitation to join an organization' })

/** What the invitee sees before accepting. */
export const InvitationPreview = Type.Object({
  email: Email,
  name: Nullable(Type.String()),
  role: InvitationRole,
  status: InvitationStatus,
  expires_at: DateTime,
  organization: Type.Object({ id: Id, name: Type.String(), logo: Nullable(Type.String()) })
})
