import { Type } from '@sinclair/typebox'
import { MATCH_STATUSES, REQUEST_STATUSES, ROLES } from '../db/schema'
import { StringEnum } from './common'

/** `?page=` of the web app's lists: 1 and up. */
export const PageNumber = Type.Integer({ minimum: 1, maximum: 100_000, default: 1 })

/** A filter left at "any" arrives as an empty string. */
const Any = Type.Literal('')

export const PeopleQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 200 })),
  role: Type.Optional(Type.Union([StringEnum(ROLES), Any])),
  page: PageNumber
})

export const InvitationsQuery = Type.Object({
  status: Type.Optional(Type.Union([StringEnum(['PENDING', 'ACCEPTED', 'EXPIRED']), Any])),
  page: PageNumber
})

export const MatchesQuery = Type.Object({
  status: Type.Optional(Type.Union([StringEnum(MATCH_STATUSES), Any])),
  page: PageNumber
})

export const PageQuery = Type.Object({ page: PageNumber })

export const RequestsQuery = Type.Object({
  status: Type.Optional(Type.Union([StringEnum(REQUEST_STATUSES), Any])),
  page: PageNumber
})
