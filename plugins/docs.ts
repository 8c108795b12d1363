import { readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import fastifySwagger from '@fastify/swagger'
import fastifySwaggerUi from '@fastify/swagger-ui'
import fp from 'fastify-plugin'
import { ACCESS_DESCRIPTIONS, type Access } from '../domain/policy'
import { description, license, version } from '../package.json'
import { ErrorBody } from '../schemas/common'
import { BODY_EXAMPLES, documentedRoute, type DocumentedRoute, errorDescription, operationIdOf } from './openapi-operations'

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

type ResponseSchema = { type?: unknown, description?: string, items?: { description?: string } }

/**
 * The route's schema as the document shows it (validation and serialization keep the route's own):
 * its operationId; every answer with a description, each error's saying when this operation gives
 * it; the 400 and 401 that every operation can answer (an undeclared query parameter, a missing
 * token); the 413 and 415 of a body; and the body's example.
 */
function documented (route: DocumentedRoute, summary: string | undefined): Record<string, unknown> {
  const declared = (route.schema.response ?? {}) as Record<string, ResponseSchema>
  const codes = new Set(Object.keys(declared).map(Number))
  codes.add(400)
  if (route.access !== 'public') codes.add(401)
  if (route.schema.body) [413, 415].forEach((code) => codes.add(code))
  const response = Object.fromEntries([...codes].sort((a, b) => a - b).map((code) => {
    const schema = declared[code] ?? ErrorBody
    const own = schema !== ErrorBody && schema.description
    const words = code >= 400 && !own ? errorDescription(route, code) : (schema.description ?? successDescription(schema, summary))
    return [code, { ...schema, 'x-response-description': words }]
  }))
  const example = BODY_EXAMPLES[`${route.method} ${route.url}`]
  const body = route.schema.body && optionalDefaults(route.schema.body)
  return {
    ...route.schema,
    operationId: operationIdOf(route),
    response,
    ...(route.schema.querystring ? { querystring: optionalDefaults(route.schema.querystring) } : {}),
    ...(body ? { body: example ? { ...body, examples: [example] } : body } : {})
  }
}

type ObjectSchema = { properties?: Record<string, { default?: unknown }>, required?: string[] }

/** A field with a default need not be sent (validation fills it in), so a client must not be told it is required. */
function optionalDefaults<S extends ObjectSchema> (schema: S): S {
  const required = schema.required?.filter((name) => schema.properties?.[name]?.default === undefined)
  return { ...schema, required }
}

const successDescription = (schema: ResponseSchema, summary: string | undefined) =>
  schema.type === 'array'
    ? `A page of the list (${schema.items?.description ?? 'records'}); X-Total-Count tells how many match in all`
    : summary ?? 'Done'

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
      info: { title: 'MentorMatchr API', version, description, license: { name: license, identifier: license } },
      // Relative: the document is served by the server it describes, whatever address it is reached at.
      servers: [{ url: '/', description: 'The server that serves this document' }],
      components: {
        securitySchemes: {
          [BEARER]: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'The token that POST /api/auth/login answers' }
        }
      }
    },
    transform: ({ schema, url, route }) => {
      const method = [route.method].flat()[0]!
      const facts = documentedRoute(route, method)
      return { url, schema: facts ? documented(facts, schema?.summary as string | undefined) : schema }
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
