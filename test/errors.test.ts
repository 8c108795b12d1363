import { Writable } from 'node:stream'
import t from 'tap'
import { build } from '../app'
import { buildApp, call, registerOrganization, rowsOf, scopeOf } from './helper'

t.test('malformed JSON: 400 with a JSON error', async (t) => {
  const app = await buildApp(t)
  const res = await call(app, 'POST', '/api/auth/login', { headers: { 'content-type': 'application/json' }, payload: '{"email": ' })
  t.equal(res.status, 400)
  t.match(res.body.error, /not valid JSON/)
})

t.test('a body that is not JSON: 415', async (t) => {
  const app = await buildApp(t)
  const res = await call(app, 'POST', '/api/auth/login', { headers: { 'content-type': 'text/plain' }, payload: 'email=x' })
  t.equal(res.status, 415)
  t.type(res.body.error, 'string')
})

t.test('a body over 1 MiB: 413, nothing written', async (t) => {
  const app = await buildApp(t)
  const res = await call(app, 'POST', '/api/auth/register', {
    payload: { organization_name: 'Big', email: 'big@example.com', password: 'x'.repeat(1024 * 1024) }
  })
  t.equal(res.status, 413)
  t.type(res.body.error, 'string')
  t.same(rowsOf(app, 'organizations'), [])
})

t.test('a JSON body that is not an object: 400', async (t) => {
  const app = await buildApp(t)
  const res = await call(app, 'POST', '/api/auth/register', { headers: { 'content-type': 'application/json' }, payload: '[1, 2]' })
  t.equal(res.status, 400)
  t.match(res.body.error, /Invalid request/)
})

t.test('validation names every problem at once', async (t) => {
  const app = await buildApp(t)
  const res = await call(app, 'POST', '/api/auth/register', {
    payload: { organization_name: ['x'], email: 'a@b.co', password: 12345678, extra: true, organization_logo: 'nope' }
  })
  t.equal(res.status, 400)
  t.same(res.body.details, [
    { field: 'extra', message: 'is not allowed' },
    { field: 'organization_name', message: 'must be string' },
    { field: 'password', message: 'must be string' },
    { field: 'organization_logo', message: 'must match format "uri"' }
  ])
  t.equal(res.body.error, 'Invalid request: extra is not allowed; organization_name must be string; password must be string; organization_logo must match format "uri"')
})

t.test('failures the handlers do not expect', async (t) => {
  const lines: string[] = []
  const stream = new Writable({ write (chunk, _encoding, done) { lines.push(String(chunk)); done() } })
  const app = build({ config: { DATABASE_PATH: ':memory:' } }, { level: 'error', stream })
  t.teardown(() => app.close())
  app.get('/boom', async () => { throw new Error('secret internals at /var/lib/db') })
  app.get('/capacity', async () => app.domain.tables.mentors.insert(scopeOf(1), { user_id: 1, status: 'PENDING', capacity: 99 }))
  app.get('/dangling', async () => app.domain.tables.mentors.insert(scopeOf(1), { user_id: 424242, status: 'PENDING' }))
  await app.ready()

  t.test('500 with a generic message and the request id; the stack goes to the log', async (t) => {
    const res = await app.inject({ url: '/boom' })
    t.equal(res.statusCode, 500)
    const body = res.json()
    t.match(body.error, /^Internal server error \(request id [0-9a-f-]{36}\)$/)
    t.notMatch(res.body, /secret internals/)
    const logged = lines.map((line) => JSON.parse(line)).find((entry) => entry.err)
    t.match(logged.err.stack, /secret internals/)
    t.ok(body.error.includes(logged.reqId), 'the id in the answer finds the log line')
  })

  t.test('database constraints map to 400 with words, not SQL', async (t) => {
    const owner = await registerOrganization(app)
    t.ok(owner)
    const check = await app.inject({ url: '/capacity' })
    t.equal(check.statusCode, 400)
    t.same(check.json(), { error: 'A value is out of its allowed range' })
    const dangling = await app.inject({ url: '/dangling' })
    t.equal(dangling.statusCode, 400)
    t.same(dangling.json(), { error: 'The request refers to a record that does not exist' })
  })
})
