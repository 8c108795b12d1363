import { type Static, type TSchema, Type } from '@sinclair/typebox'
import type { FastifyReply } from 'fastify'
import { PROFILE_STATUSES } from '../db/schema'

/** `type: [T, "null"]` rather than anyOf, so a bad value gets one clear message, not three. */
export const Nullable = <T extends TSchema>(schema: T) =>
  Type.Unsafe<Static<T> | null>({ ...schema, type: [schema.type, 'null'] })

/** One of a list of strings, as a plain `enum` so that a wrong value reads "must be one of …". */
export const StringEnum = <const T extends readonly string[]>(values: T, options: { default?: T[number], description?: string } = {}) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options })

export const Id = Type.Integer({ minimum: 1, description: 'A positive integer id' })
export const IdParams = Type.Object({ id: Id })
export const Email = Type.String({ format: 'email', maxLength: 254 })
export const Password = Type.String({ minLength: 8, maxLength: 200 })
export const Url = Type.String({ format: 'uri', maxLength: 2000 })
export const DateTime = Type.String({ format: 'date-time' })
/** A required piece of text: strings are trimmed first, so blank counts as missing. */
export const Text = (maxLength: number) => Type.String({ minLength: 1, maxLength })
/** Optional text: may be empty, or null to clear it. */
export const OptionalText = (maxLength: number) => Type.Optional(Nullable(Type.String({ maxLength })))

export const ProfileStatus = StringEnum(PROFILE_STATUSES, {
  description: 'PENDING: waiting for staff; AVAILABLE: approved and open to matching; UNAVAILABLE: full or paused'
})

export const Timestamps = {
  created_at: DateTime,
  updated_at: DateTime
}
export const SoftDeletable = { deleted: Type.Boolean(), ...Timestamps }

export const ErrorBody = Type.Object({
  error: Type.String(),
  details: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() })))
}, { $id: 'Error', description: 'What went wrong, in words a person can act on' })

/** The error answers a route documents, each with the shared error body. */
export function errorResponses<const C extends readonly number[]> (...codes: C) {
  return Object.fromEntries(codes.map((code) => [code, ErrorBody])) as { [K in C[number]]: typeof ErrorBody }
}

const IncludeDeleted = Type.Boolean({ default: false, description: 'Staff only: include soft-deleted records' })

/** `GET /:id?include_deleted=true`: staff may read a soft-deleted record. */
export const IncludeDeletedQuery = Type.Object({ include_deleted: IncludeDeleted })

/** `?limit=&offset=` with the list defaults of API.md, plus the staff-only `include_deleted`. */
export const ListQuery = <P extends Record<string, TSchema>>(filters: P) => Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
  offset: Type.Integer({ minimum: 0, default: 0 }),
  include_deleted: IncludeDeleted,
  ...filters
})

export const Removed = Type.Object({ id: Id, removed: Type.Literal(true) })

/** A body object that refuses properties it does not declare. */
export const Body = <P extends Record<string, TSchema>>(properties: P) =>
  Type.Object(properties, { additionalProperties: false })

/** Lists answer the page as an array and the number of all matching rows in X-Total-Count. */
export function sendList<T> (reply: FastifyReply, { rows, total }: { rows: T[], total: number }): T[] {
  reply.header('x-total-count', total)
  return rows
}
