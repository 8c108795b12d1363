import { readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import fastifySwagger from '@fastify/swagger'
import fastifySwaggerUi from '@fastify/swagger-ui'
import fp from 'fastify-plugin'
import { description, version } from '../package.json'

export interface DocsOptions {
  /** The folder of Swagger UI's files; the single executable brings its own copy. */
  staticDir?: string
}

export const DOCS_PREFIX = '/docs'
export const BEARER = 'bearerAuth'

// routes/api/autohooks.ts asks for a token on every route below /api unless it says `config.public`.
const AUTHENTICATED_PREFIX = '/api'

export const needsToken = (url: string, isPublic: boolean | undefined) =>
  (url === AUTHENTICATED_PREFIX || url.startsWith(`${AUTHENTICATED_PREFIX}/`)) && !isPublic

/**
 * The OpenAPI 3.1 document at /docs/json and Swagger UI at /docs, built from the routes' own TypeBox
 * schemas. Whether a route needs the bearer token is derived here, once, from where it lives.
 */
export default fp<DocsOptions>(async function docs (fastify, options) {
  fastify.addHook('onRoute', (route) => {
    // A copy, so that a schema object shared by several routes is not marked for all of them.
    route.schema = { ...route.schema, security: needsToken(route.url, route.config?.public) ? [{ [BEARER]: [] }] : [] }
  })

  await fastify.register(fastifySwagger, {
    openapi: {
      // 3.1: its schemas are JSON Schema 2020-12, so `type: ["string", "null"]` is valid as written.
      openapi: '3.1.0',
      info: { title: 'MentorMatchr API', version, description },
      components: {
        securitySchemes: {
          [BEARER]: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'The token that POST /api/auth/login answers' }
        }
      }
    }
  })

  // Swagger UI serves its files from this folder (`baseDir`), in a clone and in the single executable alike.
  const staticDir = options.staticDir ?? join(dirname(require.resolve('@fastify/swagger-ui/package.json')), 'static')
  await fastify.register(fastifySwaggerUi, {
    routePrefix: DOCS_PREFIX,
    baseDir: staticDir,
    logo: { type: 'image/svg+xml', content: await readFile(join(staticDir, 'logo.svg')) },
    uiConfig: { persistAuthorization: true }
  })
}, { name: 'docs' })
