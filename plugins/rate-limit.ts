import fastifyRateLimit from '@fastify/rate-limit'
import type { onRequestAsyncHookHandler } from 'fastify'
import fp from 'fastify-plugin'
import { ApiError } from './errors'
import { runFirst } from './route-hooks'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route takes credentials (a password, a sign-in): it spends the client's one attempt budget. */
    credentials?: boolean
  }
}

/**
 * One budget of attempts per client address, shared by every route that takes credentials:
 * login, registration, accepting an invitation and the GitHub callback draw from the same count,
 * so running out on one does not leave the others open.
 */
export default fp(async function rateLimit (fastify) {
  await fastify.register(fastifyRateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) =>
      new ApiError(context.statusCode, `Too many attempts: try again in ${context.after}`)
  })
  const credentialAttempts = fastify.rateLimit({
    max: fastify.config.AUTH_RATE_LIMIT,
    timeWindow: fastify.config.AUTH_RATE_WINDOW
  }) as onRequestAsyncHookHandler
  fastify.addHook('onRoute', (route) => {
    if (route.config?.credentials) runFirst(route, 'onRequest', credentialAttempts)
  })
}, { name: 'rate-limit', dependencies: ['config'] })
