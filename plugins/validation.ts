import Ajv, { type Options } from 'ajv'
import addFormats from 'ajv-formats'
import fp from 'fastify-plugin'

/** Passwords are taken exactly as typed; every other string is trimmed before validation. */
const UNTRIMMED = new Set(['password', 'current_password'])
/** Email addresses compare without regard to case, so they are kept in lower case. */
const LOWER_CASED = new Set(['email'])

function trimStrings (value: unknown): unknown {
  if (typeof value === 'string') return value.trim()
  if (Array.isArray(value)) return value.map(trimStrings)
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (UNTRIMMED.has(key)) continue
      const trimmed = trimStrings(item)
      ;(value as Record<string, unknown>)[key] = LOWER_CASED.has(key) && typeof trimmed === 'string' ? trimmed.toLowerCase() : trimmed
    }
  }
  return value
}

function compiler (options: Options): Ajv {
  const ajv = new Ajv({ useDefaults: true, removeAdditional: false, strict: false, ...options })
  addFormats(ajv)
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
