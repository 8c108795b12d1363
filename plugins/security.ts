import type { IncomingMessage, ServerResponse } from 'node:http'
import fastifyCors from '@fastify/cors'
import fp from 'fastify-plugin'
import helmet, { type HelmetOptions } from 'helmet'

/** `CORS_ORIGINS=https://a.example, https://b.example`: exact origins; `*` allows any; none, undefined. */
export function allowedOrigins (setting: string): ((origin: string | undefined) => boolean) | undefined {
  const origins = new Set(setting.split(',').map((origin) => origin.trim().replace(/\/+$/, '')).filter(Boolean))
  if (origins.size === 0) return undefined
  if (origins.has('*')) return (origin) => origin !== undefined
  return (origin) => origin !== undefined && origins.has(origin)
}

/**
 * The headers helmet sets with these options. They depend on nothing of the request, so they are
 * computed once (helmet's middleware rebuilds its policies on every call: 4% of a cheap request).
 */
function securityHeaders (options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {}
  const response = {
    setHeader: (name: string, value: string) => { headers[name.toLowerCase()] = value },
    removeHeader: () => {}
  }
  helmet(options)({} as IncomingMessage, response as unknown as ServerResponse, (error) => {
    if (error) throw error
  })
  return headers
}

/** Security headers on every answer, and cross-origin access only for the origins allowed. */
export default fp(async function security (fastify) {
  const headers = securityHeaders({
    contentSecurityPolicy: {
      // Self-hosted servers are often reached over plain HTTP on a local network, where upgrading
      // every subresource to HTTPS would break the documentation page.
      directives: { upgradeInsecureRequests: null }
    }
  })
  // Hooks that never wait take a callback: an async one costs every request a promise.
  fastify.addHook('onRequest', (_request, reply, done) => {
    reply.headers(headers)
    done()
  })
  const isAllowed = allowedOrigins(fastify.config.CORS_ORIGINS)
  // With no origin allowed (the default), CORS would answer nothing: no hook runs for it, and a
  // preflight finds no route (404).
  if (!isAllowed) return
  await fastify.register(fastifyCors, {
    // A refused or absent origin gets no CORS headers at all, and its preflight answers 404.
    origin: (origin, callback) => callback(null, isAllowed(origin)),
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    exposedHeaders: ['X-Total-Count'],
    maxAge: 600
  })
}, { name: 'security', dependencies: ['config'] })
