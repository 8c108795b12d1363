import { Writable } from 'node:stream'
import t from 'tap'
import { build } from '../../app'
import { logger, serverSettings, withoutSecrets } from '../../commands/serve'
import { trustProxy } from '../../plugins/config'
import { allowedOrigins } from '../../plugins/security'
import { buildApp, call, PASSWORD, registerOrganization } from '../helper'

t.test('security headers on every answer', async (t) => {
  const app = await buildApp(t)
  for (const url of ['/api', '/health', '/api/nothing', '/docs']) {
    const { headers } = await app.inject({ url })
    t.equal(headers['x-content-type-options'], 'nosniff', url)
    t.equal(headers['x-frame-options'], 'SAMEORIGIN', url)
    t.match(headers['strict-transport-security'], /max-age=\d+/, url)
    t.match(headers['content-security-policy'], /default-src 'self'/, url)
    t.notMatch(headers['content-security-policy'], /upgrade-insecure-requests/, 'plain HTTP on a local network keeps working')
    t.notOk(headers['x-powered-by'], url)
  }
})

t.test('CORS: no origin is allowed unless CORS_ORIGINS names it', async (t) => {
  const closed = await buildApp(t)
  const simple = await closed.inject({ url: '/api', headers: { origin: 'https://app.example' } })
  t.equal(simple.statusCode, 200)
  t.notOk(simple.headers['access-control-allow-origin'])
  const preflight = await closed.inject({
    method: 'OPTIONS', url: '/api/users', headers: { origin: 'https://app.example', 'access-control-request-method': 'GET' }
  })
  t.equal(preflight.statusCode, 404, 'a refused preflight gets no CORS answer')
  t.notOk(preflight.headers['access-control-allow-origin'])
})

t.test('CORS: the allow-list of CORS_ORIGINS, with X-Total-Count exposed', async (t) => {
  const app = await buildApp(t, { CORS_ORIGINS: 'https://app.example, https://admin.example/' })
  for (const origin of ['https://app.example', 'https://admin.example']) {
    const answer = await app.inject({ url: '/api', headers: { origin } })
    t.equal(answer.headers['access-control-allow-origin'], origin)
    t.equal(answer.headers['access-control-expose-headers'], 'X-Total-Count')
    t.match(answer.headers.vary, /Origin/)
  }
  const preflight = await app.inject({
    method: 'OPTIONS',
    url: '/api/users/1',
    headers: { origin: 'https://app.example', 'access-control-request-method': 'PUT', 'access-control-request-headers': 'authorization,content-type' }
  })
  t.equal(preflight.statusCode, 204)
  t.equal(preflight.headers['access-control-allow-origin'], 'https://app.example')
  t.equal(preflight.headers['access-control-allow-methods'], 'GET, HEAD, POST, PUT, PATCH, DELETE')
  t.equal(preflight.headers['access-control-allow-headers'], 'authorization,content-type')

  const other = await app.inject({ url: '/api', headers: { origin: 'https://evil.example' } })
  t.notOk(other.headers['access-control-allow-origin'], 'an origin not listed gets nothing')
  const otherPreflight = await app.inject({
    method: 'OPTIONS', url: '/api/users', headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' }
  })
  t.equal(otherPreflight.statusCode, 404)
})

t.test('allowedOrigins: exact origins, or * for any', async (t) => {
  const listed = allowedOrigins(' https://a.example ,,https://b.example/ ')!
  t.ok(listed('https://a.example'))
  t.ok(listed('https://b.example'))
  t.notOk(listed('https://a.example.evil'))
  t.notOk(listed('http://a.example'))
  t.notOk(listed(undefined))
  t.equal(allowedOrigins(' , '), undefined, 'none')
  t.ok(allowedOrigins('*')!('https://anything.example'))
})

t.test('bodies over 1 MiB are refused with 413', async (t) => {
  const app = await buildApp(t)
  const answer = await call(app, 'POST', '/api/auth/login', {
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify({ email: 'a@example.com', password: 'x'.repeat(1024 * 1024) })
  })
  t.equal(answer.status, 413)
  t.match(answer.body.error, /too large/i)
})

t.test('the HTTP server settings: timeouts, and how TRUST_PROXY reads', async (t) => {
  const app = build({ config: { DATABASE_PATH: ':memory:' } }, false, serverSettings())
  t.teardown(() => app.close())
  await app.ready()
  t.equal(app.server.requestTimeout, 30_000, 'a request must arrive whole within 30 s')
  t.equal(app.server.timeout, 120_000, 'a silent connection is closed after 2 minutes')
  t.equal(app.server.keepAliveTimeout, 72_000)

  t.equal(trustProxy(''), false)
  t.equal(trustProxy('false'), false)
  t.equal(trustProxy('true'), true)
  t.equal(trustProxy(' 127.0.0.1,10.0.0.0/8 '), '127.0.0.1,10.0.0.0/8')
  const twoHops = trustProxy('2') as (address: string, hop: number) => boolean
  t.same([0, 1, 2].map((hop) => twoHops('10.0.0.1', hop)), [true, true, false])
})

t.test('TRUST_PROXY decides whose address the rate limit counts', async (t) => {
  const attempt = (app: ReturnType<typeof build>, client: string) => app.inject({
    method: 'POST', url: '/api/auth/login', headers: { 'x-forwarded-for': client }, payload: { email: 'nobody@example.com', password: PASSWORD }
  })
  const config = { DATABASE_PATH: ':memory:', AUTH_RATE_LIMIT: 1 }

  const behindProxy = build({ config: { ...config, TRUST_PROXY: '127.0.0.1' } })
  t.teardown(() => behindProxy.close())
  t.equal((await attempt(behindProxy, '203.0.113.1')).statusCode, 404)
  t.equal((await attempt(behindProxy, '203.0.113.1')).statusCode, 429, 'the same client, past the limit')
  t.equal((await attempt(behindProxy, '203.0.113.2')).statusCode, 404, 'another client behind the same proxy has its own limit')

  const direct = build({ config })
  t.teardown(() => direct.close())
  t.equal((await attempt(direct, '203.0.113.1')).statusCode, 404)
  t.equal((await attempt(direct, '203.0.113.2')).statusCode, 429, 'without TRUST_PROXY, X-Forwarded-For is not believed')
})

t.test('the log holds no password, token or invitation id', async (t) => {
  let log = ''
  const stream = new Writable({ write (chunk, _encoding, done) { log += chunk; done() } })
  const app = build({ config: { DATABASE_PATH: ':memory:' } }, { ...logger(), level: 'info', stream })
  t.teardown(() => app.close())
  await app.ready()
  const { token, user } = await registerOrganization(app)
  await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: user.email, password: PASSWORD } })
  await app.inject({ url: '/api/users/current_user', headers: { authorization: `Bearer ${token}`, cookie: 'session=cookie-secret' } })
  const invitation = 'q7Rz0v1X9kLmN2pQ4sT6uW8yA3cE5gI7'
  await app.inject({ url: `/api/invitations/${invitation}` })
  await app.inject({ url: '/api/auth/github/callback?code=one-time-code&state=state-secret' })
  app.log.info({ body: { password: PASSWORD, token } }, 'something that logs a body by mistake')

  const lines = log.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>)
  const completed = lines.filter((line) => line.msg === 'request completed')
  t.equal(completed.length, 5, 'one line per request')
  t.equal(lines.length, 6, 'and nothing else but the line logged by mistake')
  t.match(completed[0], { reqId: String, req: { method: 'POST', url: '/api/auth/register' }, res: { statusCode: 201 }, responseTime: Number })
  // The completed line is written without wildcard redaction: what it holds is the serializers' alone.
  for (const line of completed) {
    t.same(Object.keys(line).filter((key) => !['level', 'time', 'pid', 'hostname'].includes(key)).sort(), ['msg', 'req', 'reqId', 'res', 'responseTime'])
    t.ok(Object.keys(line.req as object).every((key) => ['host', 'method', 'remoteAddress', 'remotePort', 'url'].includes(key)))
    t.same(Object.keys(line.res as object), ['statusCode'])
  }
  for (const secret of [PASSWORD, token, invitation, 'cookie-secret', 'one-time-code', 'state-secret']) {
    t.notOk(log.includes(secret), `the log does not hold ${secret.slice(0, 12)}…`)
  }
  t.ok(lines.some((line) => (line.req as { url?: string } | undefined)?.url === '/api/invitations/[redacted]'))
  t.ok(lines.some((line) => (line.body as { password?: string } | undefined)?.password === '[redacted]'))
  t.ok(lines.some((line) => (line.req as { remoteAddress?: string } | undefined)?.remoteAddress === '127.0.0.1'))
})

t.test('withoutSecrets keeps what helps and hides what grants access', async (t) => {
  t.equal(withoutSecrets('/api/users/12?role=MENTOR&q=ann'), '/api/users/12?role=MENTOR&q=ann')
  t.equal(withoutSecrets('/api/users/current_user'), '/api/users/current_user')
  t.equal(withoutSecrets('/api/invitations/q7Rz0v1X9kLmN2pQ4sT6uW8y/github'), '/api/invitations/[redacted]/github')
  t.equal(withoutSecrets('/invitations/q7Rz0v1X9kLmN2pQ4sT6uW8y'), '/invitations/[redacted]', "the web app's invitation page too")
  t.equal(withoutSecrets('/cb?state=abc&code=xyz'), '/cb?state=[redacted]&code=[redacted]')
})
