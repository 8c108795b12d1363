import fastifyRateLimit from '@fastify/rate-limit'
import fp from 'fastify-plugin'
import { ApiError } from './errors'

/** Opt-in per route (`config.rateLimit`): login and registration are limited per client address. */
export default fp(async function rateLimit (fastify) {
  await fastify.register(fastifyRateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) =>
      new ApiError(context.statusCode, `Too many attempts: try again in ${context.after}`)
  })
}, { name: 'rate-limit' })
