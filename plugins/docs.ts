import { readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import fastifySwagger from '@fastify/swagger'
import fastifySwaggerUi from '@fastify/swagger-ui'
import fp from 'fastify-plugin'
import { ACCESS_DESCRIPTIONS, type Access } from '../domain/policy'
import { description, version } from '../package.json'

export interface DocsOptions {
  /** The folder of Swagger UI's files; the single executable brings its own copy. */
  staticDir?: string
}

declare module 'fastify' {
  interface FastifySchema {
    /** Who may call the operation, as the route declares it (`config.access`). */
    'x-access'?: Access
  }
}

export const DOCS_PREFIX = '/docs'
export const BEARER = 'bearerAuth'

/**
 * The OpenAPI 3.1 document at /docs/json and Swagger UI at /docs, built from the routes' own TypeBox
 * schemas. Each operation says who may call it from the route's own `config.access`: whether it
 * needs the bearer token, the level as `x-access`, and in words in its description.
 */
export default fp<DocsOptions>(async function docs (fastify, options) {
  fastify.addHook('onRoute', (route) => {
    const access = route.config?.access
    if (access === undefined) return
    const who = `Who may call it: ${ACCESS_DESCRIPTIONS[access]}.`
    // A copy, so that a schema object shared by several routes is not marked for all of them.
    route.schema = {
      ...route.schema,
      description: route.schema?.description ? `${route.schema.description}\n\n${who}` : who,
      security: access === 'public' ? [] : [{ [BEARER]: [] }],
      'x-access': access
    }
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
