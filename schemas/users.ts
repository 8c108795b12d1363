import { Type } from '@sinclair/typebox'
import { EMAIL_NOTIFICATIONS, ROLES } from '../db/schema'
import { Email, Id, Line, Nullable, SoftDeletable, StringEnum, Url } from './common'

export const Role = StringEnum(ROLES)

export const EmailChoice = StringEnum(EMAIL_NOTIFICATIONS, {
  description: 'How notifications reach the person by email, when the installation sends email: EACH (one email each), DIGEST (one a day), NONE'
})

export const Name = Line(100)

/** What a person may say about themself; staff may set the same for people of their organization. */
export const ProfileFields = {
  first_name: Type.Optional(Nullable(Name)),
  last_name: Type.Optional(Nullable(Name)),
  street: Type.Optional(Nullable(Line(200))),
  city: Type.Optional(Nullable(Line(100))),
  state: Type.Optional(Nullable(Line(100))),
  zipcode: Type.Optional(Nullable(Line(20))),
  country: Type.Optional(Nullable(Line(100))),
  avatar_url: Type.Optional(Nullable(Url))
}

export const UserRecord = Type.Object({
  id: Id,
  email: Email,
  first_name: Nullable(Type.String()),
  last_name: Nullable(Type.String()),
  street: Nullable(Type.String()),
  city: Nullable(Type.String()),
  state: Nullable(Type.String()),
  zipcode: Nullable(Type.String()),
  country: Nullable(Type.String()),
  avatar_url: Nullable(Type.String()),
  role: Role,
  organization_id: Nullable(Id),
  github_login: Nullable(Type.String()),
  email_notifications: EmailChoice,
  ...SoftDeletable
}, { description: 'A person of an organization; never carries a password or token' })

/** What a member sees of another member who is not themself (staff see the whole record). */
export const PublicUserRecord = Type.Object({
  id: Id,
  first_name: Nullable(Type.String()),
  last_name: Nullable(Type.String()),
  avatar_url: Nullable(Type.String()),
  role: Role
}, { description: 'The public view of a user: no email, address or other contact' })

/** The short form other records embed. */
export const UserSummary = Type.Object({
  id: Id,
  first_name: Nullable(Type.String()),
  last_name: Nullable(Type.String()),
  email: Email,
  avatar_url: Nullable(Type.String())
})

export const SignedIn = Type.Object({ token: Type.String(), user: UserRecord })
