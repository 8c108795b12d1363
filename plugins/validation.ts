import { setImmediate as betweenRequests } from 'node:timers/promises'
import { Type, type TSchema } from '@sinclair/typebox'
import type { ValidateFunction } from 'ajv'
import fastJsonStringify from 'fast-json-stringify'
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify'
import fp from 'fastify-plugin'
import { type AjvProblem, bodyChecker, compiler, problemsOf, summaryOf, trimStrings } from '../schemas/checks'
import { runFirst } from './route-hooks'

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
    /** Compiles the route schemas not compiled yet, one per turn of the event loop; resolves to how many. */
    compileSchemas (): Promise<number>
  }
}

type Validate = ((data: unknown) => boolean) & Pick<ValidateFunction, 'errors'>

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
  const urls = compiler({ coerceTypes: 'array', allErrors: true })
  // Compiling the hundreds of route schemas at start took a third of the executable's start-up.
  // Each is compiled on first use instead, and all of them once the server listens, one per turn
  // of the event loop: the server answers sooner, no caller waits for a compilation after the
  // first second or so, and a broken schema still shows in the log at start.
  const notCompiled = new Map<() => unknown, string>()
  const onFirstUse = <T>(schemaOf: string, compile: () => T): () => T => {
    let compiled: T | undefined
    const get = (): T => {
      if (compiled === undefined) {
        compiled = compile()
        notCompiled.delete(get)
      }
      return compiled
    }
    notCompiled.set(get, schemaOf)
    return get
  }
  fastify.setValidatorCompiler(({ schema, method, url, httpPart }) => {
    const compiled = onFirstUse(`${method} ${url} ${httpPart}`, () => (httpPart === 'body' ? bodyChecker : urls).compile(schema))
    // Fastify reads the problems where ajv leaves them: on the function it called.
    const validate: Validate = (data) => {
      const check = compiled()
      const valid = check(data)
      validate.errors = check.errors
      return valid
    }
    return validate
  })
  fastify.setSerializerCompiler(({ schema, method, url, httpStatus }) => {
    const compiled = onFirstUse(`${method} ${url} response ${httpStatus}`, () => fastJsonStringify(schema))
    return (data) => compiled()(data)
  })
  let closing = false
  fastify.addHook('onClose', async () => { closing = true })
  fastify.decorate('compileSchemas', async function (this: FastifyInstance) {
    let count = 0
    for (const [compile, schemaOf] of [...notCompiled]) {
      // Each in a turn of its own, the first too: a server that has just started to listen answers
      // the requests already waiting before it compiles anything.
      await betweenRequests()
      // A server that stops (a test's, quickly) has no use for the rest.
      if (closing) break
      try {
        compile()
        count++
      } catch (error) {
        this.log.error({ err: error, schema: schemaOf }, `the schema of ${schemaOf} does not compile`)
      }
    }
    return count
  })
  fastify.addHook('onListen', function (done) {
    // Not waited for: the server answers while the rest compile.
    this.compileSchemas().then((count) => this.log.debug(`compiled the ${count} route schemas not used yet`),
      (error: unknown) => this.log.error(error))
    done()
  })
  const trimBody = (request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction) => {
    trimStrings(request.body)
    done()
  }
  fastify.addHook('onRoute', (route) => {
    // Only a route that takes a body has strings in one to trim.
    if (route.schema?.body !== undefined) runFirst(route, 'preValidation', trimBody)
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
  fastify.decorate('bodyCheck', (schema: TSchema) => {
    const compiled = onFirstUse(`the check of ${schema.title ?? 'a body'}`, () => bodyChecker.compile(schema))
    return (value: unknown) => {
      const validate = compiled()
      if (validate(trimStrings(value))) return undefined
      const details = problemsOf(validate.errors as AjvProblem[])
      return { error: summaryOf(details), details }
    }
  })
}, { name: 'validation' })
