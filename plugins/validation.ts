import Ajv, { type Options } from 'ajv'
import addFormats from 'ajv-formats'
import { fullFormats } from 'ajv-formats/dist/formats'
import fp from 'fastify-plugin'

/** Passwords are taken exactly as typed; every other string is trimmed before validation. */
const UNTRIMMED = new Set(['password', 'current_password'])
/** Email addresses compare without regard to case, so they are kept in lower case. */
const LOWER_CASED = new Set(['email'])

/**
 * Trims every string of a parsed body in place. It walks with its own stack rather than by
 * recursion, so that a body nested thousands deep is only refused by validation, never a crash.
 */
export function trimStrings (body: unknown): unknown {
  const pending: unknown[] = [body]
  while (pending.length > 0) {
    const value = pending.pop()
    if (value === null || typeof value !== 'object') continue
    const record = value as Record<string, unknown>
    for (const key of Object.keys(record)) {
      const item = record[key]
      if (UNTRIMMED.has(key)) continue
      if (typeof item === 'string') record[key] = LOWER_CASED.has(key) ? item.trim().toLowerCase() : item.trim()
      else pending.push(item)
    }
  }
  return body
}

const rfc3339DateTime = fullFormats['date-time'] as { validate: (value: string) => boolean }

/**
 * RFC 3339 as ajv-formats reads it, and also a moment that dates can hold: a leap second
 * (`23:59:60Z`) has no JavaScript Date, and years past 9999 have no ISO 8601 text of four digits.
 */
function isStorableDateTime (value: string): boolean {
  if (!rfc3339DateTime.validate(value)) return false
  const year = new Date(value).getUTCFullYear()
  return year >= 1 && year <= 9999
}

// eslint-disable-next-line no-control-regex -- control characters are exactly what these refuse
const ONE_LINE = /^[^\u0000-\u001F\u007F]*$/
// eslint-disable-next-line no-control-regex -- all but tab, line feed and carriage return
const PROSE = /^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]*$/

export function compiler (options: Options): Ajv {
  const ajv = new Ajv({ useDefaults: true, removeAdditional: false, strict: false, ...options })
  addFormats(ajv)
  ajv.addFormat('date-time', isStorableDateTime)
  ajv.addFormat('line', ONE_LINE)
  ajv.addFormat('prose', PROSE)
  return ajv
}

/**
 * JSON bodies are typed: "5" is not a number and null is not "", so bodies are never coerced and
 * every problem is reported at once. Path parameters and query strings arrive as text and are
 * converted to the declared types.
 */
export default fp(async function validation (fastify) {
  const bodies = compiler({ coerceTypes: false, allErrors: true })
  const urls = compiler({ coerceTypes: 'array', allErrors: true })
  fastify.setValidatorCompiler(({ schema, httpPart }) =>
    httpPart === 'body' ? bodies.compile(schema) : urls.compile(schema))
  // The API speaks JSON only: a text body answers 415 instead of failing validation as a string.
  fastify.removeContentTypeParser('text/plain')
  fastify.addHook('preValidation', async (request) => {
    trimStrings(request.body)
  })
}, { name: 'validation' })
