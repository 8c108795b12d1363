import type { FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { type Caller, callerOf } from '../domain/caller'
import { forbidden } from '../domain/errors'
import { ACCESS_LEVELS, type Access, admits } from '../domain/policy'
import { runFirst } from './route-hooks'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route: every route says it, and the hook below enforces it before the handler. */
    access?: Access
  }
  interface FastifyRequest {
    /** The signed-in caller, on every route whose access is not `public`. */
    caller: Caller
  }
}

/**
 * The one place that decides who may call a route. A route that does not declare its access stops
 * the start; the documentation's hidden routes (Swagger UI's files, the CORS preflight) are public.
 */
export default fp(async function access (fastify) {
  fastify.decorateRequest('caller', null as unknown as Caller)
  // Only the routes that need a caller run this: a public route, the answer for no route at all and
  // the documentation's hidden routes pay nothing for it.
  const signedIn = (access: Exclude<Access, 'public'>) => async (request: FastifyRequest) => {
    const user = fastify.authenticate(request)
    if (!admits(access, user)) throw forbidden()
    request.caller = callerOf(user)
  }
  fastify.addHook('onRoute', (route) => {
    const access = route.config?.access
    if (access === undefined && route.schema?.hide !== true) {
      throw new Error(`${String(route.method)} ${route.url} does not say who may call it: set config.access to one of ${ACCESS_LEVELS.join(', ')}`)
    }
    if (access !== undefined && access !== 'public') runFirst(route, 'onRequest', signedIn(access))
  })
}, { name: 'access', dependencies: ['auth'] })
