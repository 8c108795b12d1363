import Ajv2020 from 'ajv/dist/2020'
import t from 'tap'
import { routeTable } from '../../commands/context'
import { BEARER, DOCS_PREFIX } from '../../plugins/docs'
import { BODY_EXAMPLES } from '../../plugins/openapi-operations'
import { compiler } from '../../schemas/checks'
import { version, license } from '../../package.json'
import { buildApp, call, declaredRoutes } from '../helper'

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']

interface Operation {
  operationId?: string
  summary?: string
  tags?: string[]
  security?: Array<Record<string, string[]>>
  parameters?: Array<{ name: string, in: string, required?: boolean, schema?: unknown }>
  requestBody?: { content: Record<string, { schema: unknown, example?: unknown }> }
  responses?: Record<string, { description?: string, content?: Record<string, { schema: unknown }> }>
}

interface Document {
  openapi: string
  info: { title: string, version: string, license?: { name: string, identifier?: string } }
  servers?: Array<{ url: string }>
  paths: Record<string, Record<string, Operation>>
  components: { securitySchemes: Record<string, { type: string, scheme: string, bearerFormat?: string }> }
}

/** Every `$ref` in the document, and whether it points at something. */
function references (document: unknown): Array<{ ref: string, resolves: boolean }> {
  const found: string[] = []
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(walk)
    if (value === null || typeof value !== 'object') return
    for (const [key, item] of Object.entries(value)) {
      if (key === '$ref' && typeof item === 'string') found.push(item)
      else walk(item)
    }
  }
  walk(document)
  return found.map((ref) => {
    let target: unknown = document
    for (const part of ref.replace(/^#\//, '').split('/')) target = (target as Record<string, unknown> | undefined)?.[part]
    return { ref, resolves: ref.startsWith('#/') && target !== undefined }
  })
}

t.test('/docs/json is an OpenAPI 3.1 document of every route, with its summary, tag, auth and responses', async (t) => {
  const app = await buildApp(t)
  const response = await call(app, 'GET', `${DOCS_PREFIX}/json`)
  t.equal(response.status, 200)
  const document = response.body as Document

  t.match(document.openapi, /^3\.1\.\d+$/)
  t.equal(document.info.title, 'MentorMatchr API')
  t.match(document.info.version, /^\d+\.\d+\.\d+/)
  t.match(document.components.securitySchemes[BEARER], { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })

  // The same routes as the app's route table, less those that document nothing (docs, CORS preflight,
  // HEAD) and the web app's pages, which are not part of the API (docs/api.md lists them).
  const pages = new Set((await declaredRoutes()).filter((route) => route.page).map((route) => `${route.method} ${route.url}`))
  const table = (await routeTable({ config: { DATABASE_PATH: ':memory:' } }))
    .filter((route) => !/^(HEAD|OPTIONS) /.test(route) && !route.includes(` ${DOCS_PREFIX}`) && !pages.has(route))
  const documented = Object.entries(document.paths)
    .flatMap(([path, operations]) => Object.keys(operations).filter((key) => METHODS.includes(key))
      .map((method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`))
    .sort()
  t.same(documented, table, 'every route is documented, and nothing else')

  const schemas = new Ajv2020({ strict: false, validateFormats: false })
  for (const [path, operations] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const name = `${method.toUpperCase()} ${path}`
      t.ok(operation.summary?.trim(), `${name} has a summary`)
      t.ok(operation.tags && operation.tags.length > 0, `${name} has a tag`)

      const codes = Object.keys(operation.responses ?? {})
      t.ok(codes.length > 0 && codes.every((code) => /^[1-5]\d\d$/.test(code)), `${name} documents its responses by status`)
      for (const [code, answer] of Object.entries(operation.responses ?? {})) {
        t.ok(answer.description, `${name} ${code} has a description`)
      }

      const needsToken = (operation.security ?? []).length > 0
      t.ok(operation.security?.length === 0 || (operation.security?.length === 1 && Object.keys(operation.security[0]!)[0] === BEARER),
        `${name} says whether it needs the bearer token`)
      if (needsToken) t.ok(codes.includes('401'), `${name} needs a token and documents 401`)
      if (operation.parameters?.length || operation.requestBody) t.ok(codes.includes('400'), `${name} validates input and documents 400`)

      for (const parameter of path.match(/\{\w+\}/g) ?? []) {
        const declared = operation.parameters?.find((item) => item.in === 'path' && `{${item.name}}` === parameter)
        t.ok(declared?.required, `${name} declares ${parameter} as a required path parameter`)
      }
      // OpenAPI 3.1 schema objects are JSON Schema 2020-12.
      const embedded = [
        ...(operation.parameters ?? []).map((parameter) => parameter.schema),
        ...Object.values(operation.requestBody?.content ?? {}).map((media) => media.schema),
        ...Object.values(operation.responses ?? {}).flatMap((answer) => Object.values(answer.content ?? {}).map((media) => media.schema))
      ]
      for (const schema of embedded) {
        if (!schemas.validateSchema(schema as object)) t.fail(`${name}: ${schemas.errorsText(schemas.errors)}`)
      }
    }
  }
  t.same(references(document).filter((reference) => !reference.resolves), [], 'every $ref points into the document')
})

t.test('the documented auth requirement is what the server does', async (t) => {
  const app = await buildApp(t)
  const document = (await call(app, 'GET', `${DOCS_PREFIX}/json`)).body as Document
  let secured = 0
  for (const [path, operations] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const url = path.replace(/\{\w+\}/g, '1')
      const answer = await call(app, method.toUpperCase() as 'GET', url)
      const refusedForToken = answer.status === 401 && answer.body?.error === 'No token provided!'
      const needsToken = (operation.security ?? []).length > 0
      if (needsToken) secured++
      t.equal(refusedForToken, needsToken, `${method.toUpperCase()} ${path} ${needsToken ? 'asks' : 'does not ask'} for a token`)
    }
  }
  t.ok(secured > 30, `${secured} operations need the token`)
  t.same(document.paths['/api/auth/login']?.post?.security, [], 'login is public')
  t.same(document.paths['/health']?.get?.security, [], '/health is public')
  t.same(document.paths['/api/users/current_user']?.get?.security, [{ [BEARER]: [] }])
})

t.test('/docs answers the Swagger UI page and its files', async (t) => {
  const app = await buildApp(t)
  for (const url of [DOCS_PREFIX, `${DOCS_PREFIX}/`]) {
    const page = await app.inject({ url })
    t.equal(page.statusCode, 200, url)
    t.match(page.headers['content-type'], /^text\/html/)
    t.match(page.payload, /<div id="swagger-ui">/)
  }
  const script = await app.inject({ url: `${DOCS_PREFIX}/static/swagger-ui-bundle.js` })
  t.equal(script.statusCode, 200)
  t.match(script.headers['content-type'], /javascript/)
  t.ok(script.payload.length > 100_000)
  const initializer = await app.inject({ url: `${DOCS_PREFIX}/static/swagger-initializer.js` })
  t.match(initializer.payload, "url: resolveUrl('./json')", 'the page loads /docs/json of this server')
})

const operationsOf = (document: Document) => Object.entries(document.paths).flatMap(([path, operations]) =>
  Object.entries(operations).filter(([method]) => METHODS.includes(method)).map(([method, operation]) => ({ key: `${method.toUpperCase()} ${path}`, operation })))

t.test('each operation has a readable operationId, says when each of its errors happens, and main bodies have examples', async (t) => {
  const app = await buildApp(t)
  const document = (await call(app, 'GET', `${DOCS_PREFIX}/json`)).body as Document
  t.same(document.servers, [{ url: '/', description: 'The server that serves this document' }])
  t.same(document.info.license, { name: license, identifier: license })
  t.equal(document.info.version, version)

  const operations = operationsOf(document)
  const ids = operations.map(({ operation }) => operation.operationId)
  t.ok(ids.every((id) => id && /^[a-z][A-Za-z]+$/.test(id)), 'every operationId is one camelCase word')
  t.equal(new Set(ids).size, ids.length, 'and unique')
  t.match(Object.fromEntries(operations.map(({ key, operation }) => [key, operation.operationId])), {
    'GET /api/meetings': 'listMeetings',
    'GET /api/meetings/{id}': 'getMeeting',
    'POST /api/meetings': 'createMeeting',
    'PUT /api/meetings/{id}': 'updateMeeting',
    'DELETE /api/meetings/{id}': 'deleteMeeting',
    'DELETE /api/meetings/{id}/remove': 'removeMeeting',
    'POST /api/invitations/{invitation}/resend': 'resendInvitation',
    'POST /api/auth/login': 'login'
  })

  for (const { key, operation } of operations) {
    const answers = Object.entries(operation.responses ?? {})
    t.notOk(answers.some(([, answer]) => answer.description === 'Default Response'), `${key}: no "Default Response"`)
    t.ok(operation.responses?.['400'], `${key} documents 400 (at least an undeclared query parameter)`)
    for (const [code, answer] of answers.filter(([code]) => code.startsWith('4'))) {
      t.not(answer.description, 'What went wrong, in words a person can act on', `${key} ${code} says when it happens`)
    }
  }
  // Each operation's own facts: its parameters, its record, its rules, the seed's quirks.
  const described = (key: string, code: number) => operations.find((operation) => operation.key === key)?.operation.responses?.[code]?.description
  t.match(described('GET /api/meetings', 400), 'not one of `limit`, `offset`, `include_deleted`, `match_id`')
  t.match(described('GET /api/users/current_user', 400), 'this route takes none')
  t.match(described('PUT /api/meetings/{id}', 400), '`:id` in the path is not a positive integer')
  t.match(described('GET /api/mentors/{id}', 404), 'No mentor with this id')
  t.match(described('POST /api/mentees', 404), '`lambda_week` is absent or null')
  t.match(described('POST /api/matches', 409), 'no free place')
  t.match(described('POST /api/matches', 400), '`mentor_id`, `mentee_id` names no record of the caller\'s organization')
  t.match(described('DELETE /api/users/{id}/remove', 403), 'not an OWNER of the organization')
  t.match(described('GET /api/meetings/{id}', 403), 'no part in this meeting')
  t.match(described('POST /api/auth/login', 401), 'The password is wrong')

  // The examples are bodies the server accepts, checked by the server's own validator.
  const validator = compiler({ coerceTypes: false, allErrors: true })
  for (const [route, example] of Object.entries(BODY_EXAMPLES)) {
    const [method, url] = route.split(' ') as [string, string]
    const media = document.paths[url.replace(/:(\w+)/g, '{$1}')]?.[method.toLowerCase()]?.requestBody?.content['application/json']
    t.same(media?.example, example, `${route} shows its example`)
    const valid = validator.validate(media?.schema as object, structuredClone(example))
    t.ok(valid, `${route}: the example is valid ${validator.errorsText(validator.errors)}`)
  }
  t.ok(Object.keys(BODY_EXAMPLES).length >= 12, 'the main bodies have examples')
})
