import type { Socket } from 'node:net'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { Refusal, type RefusalKind, sqliteError } from '../domain/errors'
import { pageFailure } from '../web/failure'
import { type AjvProblem, type FieldProblem, problemsOf, summaryOf } from '../schemas/checks'

/** A failure of the HTTP layer itself (GitHub, the rate limit, a seed quirk), with its status. */
export class ApiError extends Error {
  constructor (readonly statusCode: number, message: string) {
    super(message)
    this.name = 'ApiError'
  }
}

/** The status of each kind of refusal of the domain. */
export const STATUS_OF: Record<RefusalKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  gone: 410
}

/** The status and message a route answers instead of 400 when a body field is absent or null. */
export interface WhenAbsent { statusCode: number, error: string }

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The seed's quirks: per body field, what to answer when it is absent or null. */
    whenAbsent?: Record<string, WhenAbsent>
  }
}

/** "limit, offset, include_deleted": the query parameters a route declares, for the refusal of one it does not. */
function acceptedParameters (request: FastifyRequest): string {
  const declared = Object.keys((request.routeOptions.schema?.querystring as { properties?: object } | undefined)?.properties ?? {})
  return declared.length > 0 ? `is not a query parameter of this route (it accepts ${declared.join(', ')})` : 'is not accepted: this route takes no query parameters'
}

type Answer = (statusCode: number, body: { error: string, details?: FieldProblem[] }) => FastifyReply

function validationReply (error: FastifyError, request: FastifyRequest, reply: FastifyReply, answer: Answer) {
  const details = problemsOf(error.validation as AjvProblem[],
    error.validationContext === 'querystring' ? acceptedParameters(request) : undefined)
  if (error.validationContext === 'body') {
    const body = (request.body ?? {}) as Record<string, unknown>
    const quirks = request.routeOptions.config.whenAbsent ?? {}
    for (const [field, quirk] of Object.entries(quirks)) {
      if (body[field] == null) return answer(quirk.statusCode, { error: quirk.error, details })
    }
  }
  const where = error.validationContext === 'body' ? '' : ` in the ${error.validationContext}`
  return answer(400, { error: `Invalid request${where}: ${summaryOf(details)}`, details })
}

const SQLITE_CONSTRAINTS: Record<string, { statusCode: number, message: (detail: string) => string }> = {
  SQLITE_CONSTRAINT_UNIQUE: { statusCode: 409, message: uniqueMessage },
  SQLITE_CONSTRAINT_PRIMARYKEY: { statusCode: 409, message: uniqueMessage },
  SQLITE_CONSTRAINT_FOREIGNKEY: { statusCode: 400, message: () => 'The request refers to a record that does not exist' },
  SQLITE_CONSTRAINT_CHECK: { statusCode: 400, message: () => 'A value is out of its allowed range' },
  SQLITE_CONSTRAINT_NOTNULL: { statusCode: 400, message: () => 'A required value is missing' }
}

/** "UNIQUE constraint failed: users.email" reads "A user with this email already exists". */
function uniqueMessage (detail: string): string {
  const columns = detail.replace(/^.*failed: /, '').split(', ').map((column) => column.split('.'))
  const table = columns[0]?.[0] ?? 'record'
  const noun = table.endsWith('s') ? table.slice(0, -1) : table
  const article = /^[aeio]/.test(noun) ? 'An' : 'A' // "a user": u sounds like "you"
  return `${article} ${noun} with this ${columns.map(([, name]) => name).join(' and ')} already exists`
}

/**
 * Failures Fastify answers before any route or plugin runs (a malformed percent-escape, a path
 * segment over the router's 100 characters): the same `{error}` body as every other failure.
 */
export function frameworkErrors (error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH'
  reply.code(tooLong ? 414 : 400).send({
    error: tooLong ? 'A part of the URL is too long: path segments hold at most 100 characters' : 'The URL is malformed: check its percent-escapes'
  })
}

const CLIENT_ERRORS: Record<string, [number, string, string]> = {
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request Timeout', 'The request took too long to arrive'],
  HPE_HEADER_OVERFLOW: [431, 'Request Header Fields Too Large', 'The request headers are too large']
}

/**
 * What Node's HTTP parser refuses before Fastify sees a request (oversized headers, a request that
 * never finishes, garbage instead of HTTP): answered on the socket with the same `{error}` body.
 */
export function clientErrorHandler (error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return
  const [status, reason, message] = CLIENT_ERRORS[error.code ?? ''] ?? [400, 'Bad Request', 'The request is not valid HTTP']
  const body = JSON.stringify({ error: message })
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${reason}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${body}`)
  }
  socket.destroy(error)
}

/**
 * "The body is text/plain: send it as application/json". The types a route takes are those its
 * schema `consumes` (as its OpenAPI requestBody says), JSON unless it declares others.
 */
function unsupportedMediaType (request: FastifyRequest): string {
  const accepted = (request.routeOptions.schema?.consumes as string[] | undefined) ?? ['application/json']
  const sent = request.headers['content-type']
  const wanted = `send it with content-type: ${accepted.join(' or ')}`
  return sent ? `The body is ${sent}, which this route does not read: ${wanted}` : `The body has no content-type: ${wanted}`
}

export default fp(async function errors (fastify) {
  fastify.setErrorHandler(function mapError (error: FastifyError, request, reply) {
    // A page shows the same refusal as the API would answer, as a page (or the sign-in, for 401).
    const answer = request.routeOptions.config.page
      ? (statusCode: number, body: { error: string }) => pageFailure(request, reply, statusCode, body.error)
      : (statusCode: number, body: { error: string }) => reply.code(statusCode).send(body)
    if (error.validation) return validationReply(error, request, reply, answer)

    const database = sqliteError(error)
    const constraint = database && SQLITE_CONSTRAINTS[database.code]
    if (database && constraint) {
      return answer(constraint.statusCode, { error: constraint.message(database.message) })
    }

    if (error instanceof Refusal) return answer(STATUS_OF[error.kind], { error: error.message })
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return answer(415, { error: unsupportedMediaType(request) })

    const statusCode = error.statusCode ?? 500
    if (error instanceof ApiError || (statusCode >= 400 && statusCode < 500)) {
      // ApiError carries a deliberate message even for 5xx (the seed answers some refusals with 500).
      return answer(statusCode, { error: error.message })
    }
    request.log.error({ err: error }, 'request failed')
    return answer(statusCode, { error: `Internal server error (request id ${request.id})` })
  })

  fastify.setNotFoundHandler(function routeNotFound (request, reply) {
    return reply.code(404).send({ error: `Route ${request.method} ${request.url.split('?')[0]} not found` })
  })
}, { name: 'errors' })
