import { createHmac } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { VerifiedTokens } from '../plugins/auth'
import { PASSWORD, bearer, buildApp, call, createUser, registerOrganization, rowsOf } from './helper'

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url')

/** A JWT put together by hand, to try what a forger would send. */
function handMadeToken (header: object, claims: object, secret: string, algorithm = 'sha256') {
  const unsigned = `${base64url(header)}.${base64url(claims)}`
  return `${unsigned}.${createHmac(algorithm, secret).update(unsigned).digest('base64url')}`
}

t.test('POST /api/auth/register', async (t) => {
  const app = await buildApp(t)

  t.test('creates the organization and its OWNER, and signs them in', async (t) => {
    const res = await call(app, 'POST', '/api/auth/register', {
      payload: {
        organization_name: '  Lambda Mentors  ',
        email: 'Grace@Example.com',
        password: PASSWORD,
        first_name: 'Grace',
        last_name: 'Hopper',
        organization_description: 'Bootcamp mentoring',
        organization_logo: 'https://example.com/logo.png'
      }
    })
    t.equal(res.status, 201)
    t.match(res.body, {
      token: String,
      user: { email: 'grace@example.com', first_name: 'Grace', role: 'OWNER', deleted: false },
      organization: { name: 'Lambda Mentors', description: 'Bootcamp mentoring', logo: 'https://example.com/logo.png' }
    })
    t.equal(res.body.user.organization_id, res.body.organization.id)
    t.notOk('password_hash' in res.body.user, 'no hash in the answer')
    t.notMatch(JSON.stringify(res.body), PASSWORD)
    const me = await call(app, 'GET', '/api/users/current_user', { headers: bearer(res.body.token) })
    t.equal(me.body.id, res.body.user.id)
  })

  const valid = { organization_name: 'Another', email: 'another@example.com', password: PASSWORD }
  for (const [field, message] of [
    ['organization_name', 'organization_name is required'],
    ['email', 'email is required'],
    ['password', 'password is required']
  ] as const) {
    t.test(`without ${field}: 400, nothing written`, async (t) => {
      const before = [rowsOf(app, 'organizations'), rowsOf(app, 'users')]
      const { [field]: _, ...payload } = valid
      const res = await call(app, 'POST', '/api/auth/register', { payload })
      t.equal(res.status, 400)
      t.match(res.body.error, message)
      t.same(res.body.details, [{ field, message: 'is required' }])
      t.same([rowsOf(app, 'organizations'), rowsOf(app, 'users')], before)
    })
  }

  t.test('a blank organization name counts as missing', async (t) => {
    const res = await call(app, 'POST', '/api/auth/register', { payload: { ...valid, organization_name: '   ' } })
    t.equal(res.status, 400)
    t.same(res.body.details, [{ field: 'organization_name', message: 'is required' }])
  })

  t.test('a short password, a bad email, a wrong type, an unknown property: 400 naming each field', async (t) => {
    const before = rowsOf(app, 'users')
    const res = await call(app, 'POST', '/api/auth/register', {
      payload: { organization_name: 42, email: 'not-an-email', password: 'short', role: 'ADMINISTRATOR' }
    })
    t.equal(res.status, 400)
    t.same(res.body.details.map((d: { field: string }) => d.field).sort(),
      ['email', 'organization_name', 'password', 'role'])
    t.same(rowsOf(app, 'users'), before)
  })

  for (const [taken, payload] of [
    ['an email (the new organization is not left behind)', { organization_name: 'Brand new org', email: 'GRACE@example.com' }],
    ['an organization name (no user is left behind)', { organization_name: 'Lambda Mentors', email: 'fresh@example.com' }]
  ] as const) {
    t.test(`${taken} already registered: 500 as the seed says, nothing written`, async (t) => {
      const before = [rowsOf(app, 'organizations'), rowsOf(app, 'users')]
      const res = await call(app, 'POST', '/api/auth/register', { payload: { ...payload, password: PASSWORD } })
      t.equal(res.status, 500)
      t.same(res.body, { error: 'User or organization already registered' })
      t.same([rowsOf(app, 'organizations'), rowsOf(app, 'users')], before)
    })
  }
})

t.test('POST /api/auth/login', async (t) => {
  const app = await buildApp(t)
  const owner = await registerOrganization(app, { email: 'ada@example.com' })

  t.test('success: 200 with a token and the user', async (t) => {
    const res = await call(app, 'POST', '/api/auth/login', { payload: { email: ' ADA@example.com ', password: PASSWORD } })
    t.equal(res.status, 200)
    t.equal(res.body.user.id, owner.user.id)
    t.notOk('password_hash' in res.body.user)
    const me = await call(app, 'GET', '/api/users/current_user', { headers: bearer(res.body.token) })
    t.equal(me.status, 200)
  })

  t.test('no user with that email: 404', async (t) => {
    const res = await call(app, 'POST', '/api/auth/login', { payload: { email: 'nobody@example.com', password: PASSWORD } })
    t.equal(res.status, 404)
    t.same(res.body, { error: 'Cannot log in! User not found.' })
  })

  for (const [missing, payload] of [
    ['email', { password: PASSWORD }],
    ['email (null)', { email: null, password: PASSWORD }],
    ['password', { email: 'ada@example.com' }],
    ['both', {}]
  ] as const) {
    t.test(`no ${missing}: 400 "Login failed. Wrong credentials!"`, async (t) => {
      const res = await call(app, 'POST', '/api/auth/login', { payload })
      t.equal(res.status, 400)
      t.equal(res.body.error, 'Login failed. Wrong credentials!')
    })
  }

  t.test('wrong password: 401', async (t) => {
    const res = await call(app, 'POST', '/api/auth/login', { payload: { email: 'ada@example.com', password: 'wrong password' } })
    t.equal(res.status, 401)
    t.same(res.body, { error: 'Cannot log in! Wrong credentials.' })
  })

  t.test('passwords are not trimmed: a space makes it wrong', async (t) => {
    const res = await call(app, 'POST', '/api/auth/login', { payload: { email: 'ada@example.com', password: ` ${PASSWORD}` } })
    t.equal(res.status, 401)
  })

  t.test('a soft-deleted user cannot log in', async (t) => {
    const gone = await createUser(app, owner.organization.id, 'MENTEE', { deleted: true })
    const res = await call(app, 'POST', '/api/auth/login', { payload: { email: gone.user.email, password: PASSWORD } })
    t.equal(res.status, 404)
  })

  t.test('a user without a password (GitHub only) cannot log in with one', async (t) => {
    const github = await createUser(app, owner.organization.id, 'MENTEE', { password_hash: null })
    const res = await call(app, 'POST', '/api/auth/login', { payload: { email: github.user.email, password: PASSWORD } })
    t.equal(res.status, 401)
  })
})

t.test('tokens', async (t) => {
  const app = await buildApp(t)
  const owner = await registerOrganization(app)
  const secret = app.config.JWT_SECRET
  const now = Math.floor(Date.now() / 1000)
  const claims = { sub: String(owner.user.id), org: owner.organization.id, role: 'OWNER', iat: now, exp: now + 600 }
  const me = (authorization?: string) =>
    call(app, 'GET', '/api/users/current_user', { headers: authorization === undefined ? {} : { authorization } })

  t.test('missing: 401 "No token provided!"', async (t) => {
    const res = await me()
    t.equal(res.status, 401)
    t.same(res.body, { error: 'No token provided!' })
    t.same((await me('')).body, { error: 'No token provided!' })
  })

  t.test('as "Bearer <jwt>" and as the bare "<jwt>"', async (t) => {
    t.equal((await me(`Bearer ${owner.token}`)).status, 200)
    t.equal((await me(`bearer ${owner.token}`)).status, 200)
    t.equal((await me(owner.token)).status, 200)
  })

  t.test('carries sub, org, role, iat and exp, signed HS256', async (t) => {
    const [header, payload] = owner.token.split('.').slice(0, 2).map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()))
    t.match(header, { alg: 'HS256' })
    t.match(payload, { sub: String(owner.user.id), org: owner.organization.id, role: 'OWNER', iat: Number, exp: Number })
    t.equal(payload.exp - payload.iat, 24 * 60 * 60, 'lives one day by default')
  })

  t.test('a hand-made HS256 token with the right secret is accepted (the forgery tests below are meaningful)', async (t) => {
    t.equal((await me(handMadeToken({ alg: 'HS256', typ: 'JWT' }, claims, secret))).status, 200)
  })

  const refused: Array<[string, string]> = [
    ['tampered', (() => {
      const [header, , signature] = owner.token.split('.')
      return `${header}.${base64url({ ...claims, role: 'ADMINISTRATOR' })}.${signature}`
    })()],
    ['expired', handMadeToken({ alg: 'HS256', typ: 'JWT' }, { ...claims, iat: now - 7200, exp: now - 3600 }, secret)],
    ['alg none', `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(claims)}.`],
    ['another algorithm with the same secret', handMadeToken({ alg: 'HS512', typ: 'JWT' }, claims, secret, 'sha512')],
    ['signed with another secret', handMadeToken({ alg: 'HS256', typ: 'JWT' }, claims, 'x'.repeat(48))],
    ['garbage', 'not.a.token'],
    ['an empty Bearer', 'Bearer ']
  ]
  for (const [name, token] of refused) {
    t.test(`${name}: 401`, async (t) => {
      const res = await me(token)
      t.equal(res.status, 401)
      t.type(res.body.error, 'string')
    })
  }

  t.test('expired says so', async (t) => {
    const res = await me(refused[1]![1])
    t.match(res.body.error, /expired/)
  })

  t.test('a token accepted once (its verification kept in memory) is refused once it expires', async (t) => {
    const issued = Math.floor(Date.now() / 1000)
    const shortLived = handMadeToken({ alg: 'HS256', typ: 'JWT' }, { ...claims, iat: issued, exp: issued + 2 }, secret)
    t.equal((await me(shortLived)).status, 200)
    t.equal((await me(shortLived)).status, 200, 'and again, from memory')
    await sleep((issued + 2) * 1000 - Date.now() + 50)
    const res = await me(shortLived)
    t.equal(res.status, 401)
    t.match(res.body.error, /expired/)
  })

  t.test('verified tokens are kept up to a capacity, the oldest making room, and none past its expiry', async (t) => {
    const kept = new VerifiedTokens(2)
    const later = Date.now() + 60_000
    for (const [token, userId] of [['first', 1], ['second', 2], ['third', 3]] as const) kept.keep(token, { userId, generation: 0, expiresAt: later })
    t.equal(kept.get('first'), undefined, 'the oldest made room')
    t.same([kept.get('second')?.userId, kept.get('third')?.userId], [2, 3])
    kept.keep('expired', { userId: 4, generation: 0, expiresAt: Date.now() - 1 })
    t.equal(kept.get('expired'), undefined)
  })

  t.test('the token of a deleted user: 401', async (t) => {
    const mentee = await createUser(app, owner.organization.id, 'MENTEE')
    t.equal((await me(mentee.token)).status, 200)
    await call(app, 'DELETE', `/api/users/${mentee.user.id}`, { headers: owner.headers })
    const res = await me(mentee.token)
    t.equal(res.status, 401)
    t.match(res.body.error, /no longer exists/)
  })

  t.test('signing out ends every session of the user, in every client, and nobody else\'s', async (t) => {
    const mentee = await createUser(app, owner.organization.id, 'MENTEE')
    const mentor = await createUser(app, owner.organization.id, 'MENTOR')
    const logIn = async () => (await call(app, 'POST', '/api/auth/login', { payload: { email: mentee.user.email, password: PASSWORD } })).body.token as string
    const secondClient = await logIn()
    const withoutGeneration = handMadeToken({ alg: 'HS256', typ: 'JWT' }, { ...claims, sub: String(mentee.user.id), role: 'MENTEE' }, secret)
    for (const token of [mentee.token, secondClient, withoutGeneration]) t.equal((await me(`Bearer ${token}`)).status, 200)

    const res = await call(app, 'POST', '/api/auth/logout', { headers: bearer(secondClient) })
    t.equal(res.status, 200)
    t.same(res.body, { signed_out: true })
    for (const token of [mentee.token, secondClient, withoutGeneration]) {
      const refusedNow = await me(`Bearer ${token}`)
      t.equal(refusedNow.status, 401)
      t.same(refusedNow.body, { error: 'The token has been signed out: sign in again' })
    }
    t.equal((await me(`Bearer ${mentor.token}`)).status, 200, "another user's token still works")
    t.equal((await me(`Bearer ${owner.token}`)).status, 200)

    const stored = () => rowsOf(app, 'users').find((row: any) => row.id === mentee.user.id)
    const before = stored()
    const again = await call(app, 'POST', '/api/auth/logout', { headers: bearer(secondClient) })
    t.equal(again.status, 401, 'a signed-out token cannot sign out again')
    t.same(stored(), before, 'nothing written')

    const fresh = await logIn()
    t.equal((await me(`Bearer ${fresh}`)).status, 200, 'signing in again gives a token that works')
    t.match(JSON.parse(Buffer.from(fresh.split('.')[1]!, 'base64url').toString()), { gen: 1 })
    t.equal((await me(`Bearer ${secondClient}`)).status, 401, 'and the old ones stay out')
  })

  t.test('a sign-out while a sign-in checks its password does not void the new token', async (t) => {
    const mentee = await createUser(app, owner.organization.id, 'MENTEE')
    const signingIn = call(app, 'POST', '/api/auth/login', { payload: { email: mentee.user.email, password: PASSWORD } })
    // The sign-in has read the user and waits on scrypt (about 100 ms) when the sign-out lands.
    await new Promise(setImmediate)
    await new Promise(setImmediate)
    app.domain.accounts.signOutEverywhere(mentee.user.id)
    const signedIn = await signingIn
    t.equal(signedIn.status, 200)
    t.equal((await me(`Bearer ${signedIn.body.token}`)).status, 200, 'the token is of the generation after the sign-out')
    t.equal((await me(`Bearer ${mentee.token}`)).status, 401)
  })

  t.test('signing out needs a valid token, and without one writes nothing', async (t) => {
    const before = rowsOf(app, 'users')
    for (const authorization of [undefined, 'Bearer not.a.token', `Bearer ${refused[0]![1]}`]) {
      const res = await call(app, 'POST', '/api/auth/logout', { headers: authorization === undefined ? {} : { authorization } })
      t.equal(res.status, 401)
      t.type(res.body.error, 'string')
    }
    t.same(rowsOf(app, 'users'), before, 'no session generation moved')
  })

  t.test('JWT_EXPIRES_IN sets the lifetime', async (t) => {
    const short = await buildApp(t, { JWT_EXPIRES_IN: '5m' })
    const { token } = await registerOrganization(short)
    const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString())
    t.equal(payload.exp - payload.iat, 300)
  })
})

t.test('login and registration share one attempt budget per client address', async (t) => {
  const app = await buildApp(t, { AUTH_RATE_LIMIT: 3 })
  const attempt = () => call(app, 'POST', '/api/auth/login', { payload: { email: 'x@example.com', password: PASSWORD } })
  for (let i = 0; i < 3; i++) t.equal((await attempt()).status, 404)
  const limited = await attempt()
  t.equal(limited.status, 429)
  t.match(limited.body.error, /Too many attempts: try again in/)
  t.ok(Number(limited.headers['retry-after']) > 0, 'Retry-After says when')

  const registration = await call(app, 'POST', '/api/auth/register', { payload: {} })
  t.equal(registration.status, 429, 'registration draws from the same budget as login')

  const other = await call(app, 'POST', '/api/auth/login', {
    payload: { email: 'x@example.com', password: PASSWORD },
    remoteAddress: '127.0.0.2'
  })
  t.equal(other.status, 404, 'another address has its own allowance')
})
