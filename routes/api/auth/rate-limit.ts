import type { FastifyInstance } from 'fastify'

/** Sign-in and sign-up share one limit per client address, read from the configuration. */
export const authRateLimit = (fastify: FastifyInstance) => ({
  max: fastify.config.AUTH_RATE_LIMIT,
  timeWindow: fastify.config.AUTH_RATE_WINDOW
})
