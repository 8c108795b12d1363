import fastifyCors from '@fastify/cors'
import fastifyHelmet from '@fastify/helmet'
import fp from 'fastify-plugin'

/** `CORS_ORIGINS=https://a.example, https://b.example`: exact origins; `*` allows any. */
export function allowedOrigins (setting: string): (origin: string | undefined) => boolean {
  const origins = new Set(setting.split(',').map((origin) => origin.trim().replace(/\/+$/, '')).filter(Boolean))
  if (origins.has('*')) return (origin) => origin !== undefined
  return (origin) => origin !== undefined && origins.has(origin)
}

/** Security headers on every answer, and cross-origin access only for the origins allowed. */
export default fp(async function security (fastify) {
  await fastify.register(fastifyHelmet, {
    contentSecurityPolicy: {
      // Self-hosted servers are often reached over plain HTTP on a local network, where upgrading
      // every subresource to HTTPS would break the documentation page.
      directives: { upgradeInsecureRequests: null }
    }
  })
  const isAllowed = allowedOrigins(fastify.config.CORS_ORIGINS)
  await fastify.register(fastifyCors, {
    // A refused or absent origin gets no CORS headers at all, and its preflight answers 404.
    origin: (origin, callback) => callback(null, isAllowed(origin)),
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    exposedHeaders: ['X-Total-Count'],
    maxAge: 600
  })
}, { name: 'security', dependencies: ['config'] })
