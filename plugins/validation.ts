import { Type, type TSchema } from '@sinclair/typebox'
import fp from 'fastify-plugin'
import { type AjvProblem, compiler, problemsOf, summaryOf, trimStrings } from '../schemas/checks'

/** A value that fails a body schema: the answer a request body would get, without the status. */
export interface FieldRefusal {
  error: string
  details: Array<{ field: string, message: string }>
}

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * The check of a body schema for values that arrive otherwise than as one request body (the
     * rows of an import): trimmed, lower-cased and checked exactly as a body, refused in the same words.
     */
    bodyCheck (schema: TSchema): (value: unknown) => FieldRefusal | undefined
  }
}

/**
 * JSON bodies are typed: "5" is not a number and null is not "", so bodies are never coerced and
 * every problem is reported at once. Path parameters and query strings arrive as text and are
 * converted to the declared types.
 *
 * Query strings are held to what a route declares, as bodies are: a misspelt or unsupported
 * parameter (`?page=2` where the lists take `offset`) would otherwise be silently ignored and the
 * caller would read the wrong page. A route that must take parameters it cannot know (an OAuth
 * provider's callback) says so with `additionalProperties: true` on its querystring schema.
 */
export default fp(async function validation (fastify) {
  const bodies = compiler({ coerceTypes: false, allErrors: true })
  const urls = compiler({ coerceTypes: 'array', allErrors: true })
  fastify.setValidatorCompiler(({ schema, httpPart }) =>
    httpPart === 'body' ? bodies.compile(schema) : urls.compile(schema))
  fastify.addHook('onRoute', (route) => {
    // A page reads its query with its form reader (web/forms.ts), and a browser may add parameters of its own.
    if (route.config?.access === undefined || route.config.page) return
    const query = route.schema?.querystring as object | undefined
    route.schema = { ...route.schema, querystring: query ? { additionalProperties: false, ...query } : Type.Object({}, { additionalProperties: false }) }
  })

  // The API speaks JSON only: a text body answers 415 instead of failing validation as a string.
  fastify.removeContentTypeParser('text/plain')
  // Many clients send `content-type: application/json` on every request, a DELETE with nothing in
  // it too: a route that takes no body accepts an empty one whatever its content type says.
  const json = fastify.getDefaultJsonParser('error', 'error')
  fastify.removeContentTypeParser('application/json')
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (body.length === 0 && request.routeOptions.schema?.body === undefined) return done(null, undefined)
    json(request, body as string, done)
  })
  fastify.addHook('preValidation', async (request) => {
    trimStrings(request.body)
  })
  fastify.decorate('bodyCheck', (schema: TSchema) => {
    const validate = bodies.compile(schema)
    return (value: unknown) => {
      if (validate(trimStrings(value))) return undefined
      const details = problemsOf(validate.errors as AjvProblem[])
      return { error: summaryOf(details), details }
    }
  })
}, { name: 'validation' })
