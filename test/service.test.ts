import t from 'tap'
import { buildApp, call } from './helper'

t.test('GET /api answers without a token', async (t) => {
  const app = await buildApp(t)
  const res = await call(app, 'GET', '/api')
  t.equal(res.status, 200)
  t.same(res.body, { message: 'API OK' })
})

t.test('GET /health checks the database', async (t) => {
  const app = await buildApp(t)
  t.same((await call(app, 'GET', '/health')).body, { status: 'ok' })
  app.sqlite.close()
  const down = await call(app, 'GET', '/health')
  t.equal(down.status, 503)
  t.equal(down.body.status, 'unavailable')
})

t.test('an unknown route answers a JSON 404', async (t) => {
  const app = await buildApp(t)
  const res = await call(app, 'GET', '/api/nothing-here?x=1')
  t.equal(res.status, 404)
  t.same(res.body, { error: 'Route GET /api/nothing-here not found' })
})

t.test('GET / is the web app (a browser without a session signs in first); /docs stays the API documentation', async (t) => {
  const app = await buildApp(t)
  const res = await app.inject({ url: '/' })
  t.equal(res.statusCode, 303)
  t.equal(res.headers.location, '/sign-in?next=%2F')
  const signIn = await app.inject({ url: '/sign-in' })
  t.same([signIn.statusCode, signIn.headers['content-type']], [200, 'text/html; charset=utf-8'])
  const docs = await app.inject({ url: '/docs' })
  t.same([docs.statusCode, docs.headers['content-type']], [200, 'text/html; charset=utf-8'], 'where the documentation is served')
})
