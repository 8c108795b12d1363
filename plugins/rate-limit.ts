import fastifyRateLimit from '@fastify/rate-limit'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { ApiError } from './errors'

/** The limit every route that takes credentials shares (`config.rateLimit`), per client address. */
export const credentialsRateLimit = (fastify: FastifyInstance) => ({
  max: fastify.config.AUTH_RATE_LIMIT,
  timeWindow: fastify.config.AUTH_RATE_WINDOW
})

/** Opt-in per route: sign-in, sign-up and accepting an invitation. */
export default fp(async function rateLimit (fastify) {
  await fastify.register(fastifyRateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) =>
      new ApiError(context.statusCode, `Too many attempts: try again in ${context.after}`)
  })
}, { name: 'rate-limit' })
