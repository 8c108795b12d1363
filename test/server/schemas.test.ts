import { Writable } from 'node:stream'
import Ajv from 'ajv'
import t from 'tap'
import { build } from '../../app'
import { buildApp, call, rowsOf } from '../helper'

t.test('a schema is compiled on its first use: refusals, coercion and serialization as ever', async (t) => {
  const app = await buildApp(t)
  const refused = await call(app, 'POST', '/api/auth/register', { payload: { email: 'not-an-address', password: 'x', unknown: 1 } })
  t.equal(refused.status, 400)
  t.same(refused.body.details.map((detail: { field: string }) => detail.field).sort(), ['email', 'organization_name', 'password', 'unknown'],
    'every problem at once, from the validator compiled for this request')
  t.same(rowsOf(app, 'users'), [], 'nothing written')

  const registered = await call(app, 'POST', '/api/auth/register', { payload: { organization_name: 'Lazy', email: 'a@example.com', password: 'correct horse battery' } })
  t.equal(registered.status, 201)
  t.notOk('password_hash' in registered.body.user, 'the response is serialized by its schema')
  const page = await call(app, 'GET', '/api/users?limit=1&offset=0', { headers: { authorization: `Bearer ${registered.body.token}` } })
  t.same([page.status, page.body.length], [200, 1], 'query strings are still converted to their declared types')
})

t.test('compileSchemas compiles every route schema not used yet, once', async (t) => {
  const app = await buildApp(t)
  await call(app, 'GET', '/health')
  const compiled = await app.compileSchemas()
  t.ok(compiled > 200, `${compiled} validators and serializers compiled`)
  t.equal(await app.compileSchemas(), 0, 'none is compiled twice')
})

t.test('a listening server compiles every schema by itself, and logs one that does not compile', async (t) => {
  const lines: Array<{ level: number, msg: string, schema?: string }> = []
  const stream = new Writable({
    write (chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)))
      done()
    }
  })
  const app = build({ config: { DATABASE_PATH: ':memory:' } }, { level: 'error', stream })
  t.teardown(() => app.close())
  app.post('/broken', { config: { access: 'public' }, schema: { body: { $ref: '#/definitions/missing' } } }, async () => 'never')
  await app.ready()
  const background = new Promise<number>((resolve) => {
    const compileSchemas = app.compileSchemas.bind(app)
    app.compileSchemas = async () => {
      const count = await compileSchemas()
      resolve(count)
      return count
    }
  })
  await app.listen({ port: 0, host: '127.0.0.1' })
  t.ok(await background > 200, 'compiled after listening, without any request')
  t.match(lines, [{ level: 50, schema: 'POST /broken body', msg: 'the schema of POST /broken body does not compile' }])
  t.equal(await app.compileSchemas(), 0, 'only the broken one is left, and it still fails')
  t.equal(lines.length, 2)
})

t.test('a server that stops compiles no more', async (t) => {
  const app = await buildApp(t)
  await app.close()
  t.equal(await app.compileSchemas(), 0)
})

// The server's compilers skip the check against the meta-schema (schemas/checks.ts): this is it.
t.test("every route's schemas are valid JSON Schema", async (t) => {
  const app = build({ config: { DATABASE_PATH: ':memory:' } })
  t.teardown(() => app.close())
  const schemas: Array<{ of: string, schema: object }> = []
  app.addHook('onRoute', ({ method, url, schema }) => {
    for (const part of ['body', 'querystring', 'params', 'headers'] as const) {
      const partSchema = schema?.[part] as object | undefined
      if (partSchema) schemas.push({ of: `${method} ${url} ${part}`, schema: partSchema })
    }
    for (const [status, answer] of Object.entries(schema?.response ?? {})) schemas.push({ of: `${method} ${url} response ${status}`, schema: answer as object })
  })
  await app.ready()
  const metaSchema = new Ajv({ strict: false })
  const invalid = schemas.filter(({ schema }) => !metaSchema.validateSchema(schema))
    .map(({ of, schema }) => `${of}: ${(metaSchema.validateSchema(schema), metaSchema.errorsText())}`)
  t.ok(schemas.length > 300, `${schemas.length} schemas checked`)
  t.same(invalid, [])
})
