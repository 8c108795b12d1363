import { createHmac } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { connect } from 'node:net'
import t from 'tap'
import { activeMatch, mentee, mentor, notices, organization, statusOf } from '../fixtures'
import { buildApp, call, createUser, PASSWORD, registerOrganization, rowsOf } from '../helper'

// One regression test per hole found by trying the API as an attacker would; each failed before its fix.

type Row = Record<string, unknown>

t.test('hole 2, account hijack through GitHub: only the person changes their own email, with their password', async (t) => {
  const app = await buildApp(t)
  const owner = await registerOrganization(app)
  const manager = await createUser(app, owner.organization.id, 'MANAGER')
  const colleague = await createUser(app, owner.organization.id, 'MENTOR')
  const put = (id: number, headers: Record<string, string>, payload: object) => call(app, 'PUT', `/api/users/${id}`, { headers, payload })

  const before = rowsOf(app, 'users')
  for (const staff of [manager, owner]) {
    const res = await put(colleague.user.id, staff.headers, { email: 'attacker@example.com' })
    t.same([res.status, res.body], [403, { error: 'Only the user themself changes their email' }], `${staff.user.role} is refused`)
  }
  t.same(rowsOf(app, 'users'), before, 'nothing written')
  t.equal((await put(colleague.user.id, manager.headers, { email: colleague.user.email, city: 'Porto' })).status, 200,
    'staff still edit the rest, and sending the same email changes nothing')

  const self = (payload: object) => put(colleague.user.id, colleague.headers, payload)
  t.same((await self({ email: 'me@example.com' })).body, { error: 'current_password is required to change the email' })
  t.same((await self({ email: 'me@example.com', current_password: 'not my password' })).body, { error: 'current_password is wrong' })
  const changed = await self({ email: 'Me@Example.com', current_password: PASSWORD })
  t.same([changed.status, changed.body.email], [200, 'me@example.com'])
  const login = await call(app, 'POST', '/api/auth/login', { payload: { email: 'me@example.com', password: PASSWORD } })
  t.equal(login.status, 200, 'the new email signs in')
})

t.test('hole 3, an organization left without an OWNER: two OWNERs leaving at once, one wins (6 rounds)', async (t) => {
  const app = await buildApp(t)
  for (let round = 0; round < 6; round++) {
    const first = await registerOrganization(app)
    const second = await createUser(app, first.organization.id, 'OWNER')
    // A password change makes each request wait for scrypt between its checks and its write.
    const leave = (who: typeof second) => call(app, 'PUT', `/api/users/${who.user.id}`, {
      headers: who.headers, payload: { deleted: true, password: `another password ${round}`, current_password: PASSWORD }
    })
    const answers = await Promise.all([leave(first), leave(second)])
    t.same(answers.map((answer) => answer.status).sort(), [200, 409], `round ${round}: one leaves, the other is refused`)
    const owners = (rowsOf(app, 'users') as Row[])
      .filter((user) => user.organization_id === first.organization.id && user.role === 'OWNER' && user.deleted === 0)
    t.equal(owners.length, 1, `round ${round}: the organization keeps an OWNER`)
  }
})

t.test('hole 4, bad input that answered 500: every answer is a 4xx with {error}, or the record unchanged', async (t) => {
  const app = await buildApp(t)
  const { orgId, owner } = await organization(app)
  const teacher = await mentor(app, orgId)
  const learner = await mentee(app, orgId)
  const match = await activeMatch(app, owner, teacher, learner)
  const meeting = await call(app, 'POST', '/api/meetings', { headers: owner.headers, payload: { match_id: match.id, meeting_date: '2026-09-02T15:00:00Z', location: 'Cafe' } })
  const experience = await call(app, 'POST', '/api/experiences', { headers: teacher.headers, payload: { name: 'SQL' } })
  const [notification] = (await call(app, 'GET', '/api/notifications', { headers: teacher.headers })).body

  t.test('an empty PUT body changes nothing and answers the record', async (t) => {
    const records = {
      users: owner.user.id,
      organizations: orgId,
      mentors: teacher.profile.id,
      mentees: learner.profile.id,
      experiences: experience.body.id,
      meetings: meeting.body.id,
      notifications: notification.id
    }
    for (const [resource, id] of Object.entries(records)) {
      const caller = resource === 'notifications' ? teacher : owner
      const before = rowsOf(app, resource)
      const res = await call(app, 'PUT', `/api/${resource}/${id}`, { headers: caller.headers, payload: {} })
      t.same([res.status, res.body.id], [200, id], `PUT /api/${resource}/:id {}`)
      t.same(rowsOf(app, resource), before, `${resource}: nothing written`)
    }
  })

  t.test('an offset beyond what SQLite holds: 400 on every list', async (t) => {
    for (const list of ['users', 'organizations', 'mentors', 'mentees', 'experiences', 'matches', 'meetings', 'notifications', 'invitations']) {
      for (const offset of ['9223372036854775807', '1e20']) {
        const res = await call(app, 'GET', `/api/${list}?offset=${offset}`, { headers: owner.headers })
        t.same([res.status, res.body.details], [400, [{ field: 'offset', message: 'must be <= 2147483647' }]], `${list} offset=${offset}`)
      }
    }
  })

  t.test('a date-time JavaScript cannot hold: 400 naming the field, nothing written', async (t) => {
    const before = rowsOf(app, 'meetings')
    for (const date of ['2016-12-31T23:59:60Z', '9999-12-31T23:59:59-23:59', '0000-01-01T00:00:00Z']) {
      const res = await call(app, 'POST', '/api/meetings', { headers: owner.headers, payload: { match_id: match.id, meeting_date: date, location: 'Cafe' } })
      t.same([res.status, res.body.details], [400, [{ field: 'meeting_date', message: 'must be a date and time with its time zone, such as 2026-12-08T15:00:00Z' }]], date)
      const ended = await call(app, 'PUT', `/api/matches/${match.id}`, { headers: owner.headers, payload: { end_date: date } })
      t.equal(ended.status, 400, `end_date ${date}`)
    }
    t.same(rowsOf(app, 'meetings'), before)
  })

  t.test('JSON nested 10,000 deep: 400, even on login without a token', async (t) => {
    const deep = (inner: string) => '{"a":'.repeat(10_000) + inner + '}'.repeat(10_000)
    const login = await app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/json' }, payload: `{"email":${deep('"x"')},"password":"x"}` })
    t.same([login.statusCode, login.json().error], [400, 'Invalid request: email must be string'])
    const mentorUpdate = await app.inject({ method: 'PUT', url: `/api/mentors/${teacher.profile.id}`, headers: { 'content-type': 'application/json', ...owner.headers }, payload: `{"bio":${deep('1')}}` })
    t.equal(mentorUpdate.statusCode, 400)
  })
})

t.test('hole 7, error bodies that were not {error}: Fastify\'s and Node\'s own refusals go through the one mapper', async (t) => {
  const app = await buildApp(t)
  const long = await call(app, 'GET', `/api/invitations/${'a'.repeat(150)}`)
  t.same([long.status, long.body], [414, { error: 'A part of the URL is too long: path segments hold at most 100 characters' }])
  const escape = await call(app, 'GET', '/api/users/%E0%A4%A')
  t.same([escape.status, escape.body], [400, { error: 'The URL is malformed: check its percent-escapes' }])

  await app.listen({ host: '127.0.0.1', port: 0 })
  const { port } = app.server.address() as AddressInfo
  const raw = (request: string) => new Promise<string>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(request))
    let answer = ''
    socket.on('data', (chunk) => { answer += String(chunk) })
    socket.on('close', () => resolve(answer))
    socket.on('error', reject)
  })
  const oversized = await raw(`GET /api/users HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`)
  t.match(oversized, /^HTTP\/1\.1 431 /)
  t.equal(JSON.parse(oversized.slice(oversized.indexOf('\r\n\r\n') + 4)).error, 'The request headers are too large')
  const garbage = await raw('NOT HTTP AT ALL\r\n\r\n')
  t.match(garbage, /^HTTP\/1\.1 400 /)
  t.same(JSON.parse(garbage.slice(garbage.indexOf('\r\n\r\n') + 4)), { error: 'The request is not valid HTTP' })
})

t.test('hole 5, rate limits per route: every credential route draws from one budget per client address', async (t) => {
  const app = await buildApp(t, { AUTH_RATE_LIMIT: 3 })
  const owner = await registerOrganization(app)
  const invitation = await call(app, 'POST', '/api/invitations', { headers: owner.headers, payload: { email: 'late@example.com' } })
  const login = () => call(app, 'POST', '/api/auth/login', { payload: { email: 'nobody@example.com', password: PASSWORD } })
  // registerOrganization above spent one attempt of the budget.
  t.same([(await login()).status, (await login()).status], [404, 404])
  const limited = await login()
  t.same([limited.status, limited.headers['retry-after'] !== undefined], [429, true], 'the budget of 3 is spent')
  t.match(limited.body, { error: /^Too many attempts: try again in / })
  const usersBefore = rowsOf(app, 'users')
  for (const [name, attempt] of [
    ['registration', () => call(app, 'POST', '/api/auth/register', { payload: { organization_name: 'Another', email: 'b@example.com', password: PASSWORD } })],
    ['invitation acceptance', () => call(app, 'POST', `/api/invitations/${invitation.body.token}`, { payload: { password: PASSWORD } })]
  ] as const) {
    t.equal((await attempt()).status, 429, `${name} is closed too`)
  }
  t.same(rowsOf(app, 'users'), usersBefore, 'nothing written past the limit')
  t.equal((await call(app, 'GET', '/api/users/current_user', { headers: owner.headers })).status, 200, 'signed-in work goes on')
})

t.test('hole 6, login timing told which emails exist: an unknown email costs a password check too', async (t) => {
  const app = await buildApp(t)
  const owner = await registerOrganization(app)
  const timed = async (email: string) => {
    const times: number[] = []
    for (let i = 0; i < 5; i++) {
      const started = process.hrtime.bigint()
      const res = await call(app, 'POST', '/api/auth/login', { payload: { email, password: 'not the password at all' } })
      times.push(Number(process.hrtime.bigint() - started))
      t.equal(res.status, email === owner.user.email ? 401 : 404, 'the customer\'s status codes stay')
    }
    return times.sort((a, b) => a - b)[2]!
  }
  const known = await timed(owner.user.email)
  const unknown = await timed('nobody@example.com')
  // scrypt takes tens of milliseconds, a miss without it about one: the medians must be of one kind.
  t.ok(unknown > known / 2 && unknown < known * 2, `unknown email ${Math.round(unknown / 1e6)} ms, wrong password ${Math.round(known / 1e6)} ms`)
})

t.test('hole 8, weak rules: weak passwords, tokens without expiry or with odd ids, control characters in names', async (t) => {
  const app = await buildApp(t)
  const owner = await registerOrganization(app)
  const invitation = await call(app, 'POST', '/api/invitations', { headers: owner.headers, payload: { email: 'ada.lovelace@example.com', name: 'Ada Lovelace' } })

  t.test('passwords: the common ones, repeats, and the person\'s own email are refused, saying why', async (t) => {
    const before = rowsOf(app, 'users')
    const cases: Array<[string, string]> = [
      ['        ', 'password repeats one character or a short pattern: choose a longer one, a few unrelated words work well'],
      ['12345678', 'password is one of the most common passwords: choose a longer one, a few unrelated words work well'],
      ['password1', 'password is one of the most common passwords: choose a longer one, a few unrelated words work well'],
      ['new.owner@example.com', 'password contains your email, name or organization: choose a longer one, a few unrelated words work well']
    ]
    for (const [password, error] of cases) {
      const register = await call(app, 'POST', '/api/auth/register', { payload: { organization_name: 'Weak', email: 'new.owner@example.com', password } })
      t.same([register.status, register.body], [400, { error }], `registration with ${JSON.stringify(password)}`)
    }
    const accept = await call(app, 'POST', `/api/invitations/${invitation.body.token}`, { payload: { password: 'ada.lovelace@example.com' } })
    t.same([accept.status, accept.body.error], [400, 'password contains your email, name or organization: choose a longer one, a few unrelated words work well'])
    const change = await call(app, 'PUT', `/api/users/${owner.user.id}`, { headers: owner.headers, payload: { password: 'qwertyuiop', current_password: PASSWORD } })
    t.same([change.status, change.body.error], [400, 'password is one of the most common passwords: choose a longer one, a few unrelated words work well'])
    t.same(rowsOf(app, 'users'), before, 'nothing written')
  })

  t.test('tokens: an expiry is required, and the user id must be a plain decimal', async (t) => {
    // Signed here with the server's own secret, so only the claims are wrong.
    const sign = (claims: object) => {
      const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url')
      const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({ org: owner.organization.id, role: 'OWNER', iat: Math.floor(Date.now() / 1000), ...claims })}`
      return `${unsigned}.${createHmac('sha256', app.config.JWT_SECRET).update(unsigned).digest('base64url')}`
    }
    const exp = Math.floor(Date.now() / 1000) + 600
    const asOwner = (token: string) => call(app, 'GET', '/api/users/current_user', { headers: { authorization: `Bearer ${token}` } })
    t.equal((await asOwner(sign({ sub: String(owner.user.id), exp }))).status, 200, 'a proper token works')
    const refused: Array<[string, object]> = [
      ['no expiry', { sub: String(owner.user.id) }],
      ['sub " 1"', { sub: ` ${owner.user.id}`, exp }],
      ['sub "0x1"', { sub: `0x${owner.user.id.toString(16)}`, exp }],
      ['sub "01"', { sub: `0${owner.user.id}`, exp }],
      ['sub "1.0"', { sub: `${owner.user.id}.0`, exp }],
      ['no sub', { exp }]
    ]
    for (const [name, claims] of refused) t.equal((await asOwner(sign(claims))).status, 401, name)
  })

  t.test('names and one-line fields refuse control characters; prose keeps its line breaks', async (t) => {
    const before = rowsOf(app, 'users')
    for (const name of ['Ada\u0000', 'Ada\u001b[31m', 'Ada\nLovelace']) {
      const res = await call(app, 'PUT', `/api/users/${owner.user.id}`, { headers: owner.headers, payload: { first_name: name } })
      t.same([res.status, res.body.details], [400, [{ field: 'first_name', message: 'must be one line without control characters' }]], JSON.stringify(name))
    }
    t.same(rowsOf(app, 'users'), before)
    const mentorProfile = await call(app, 'POST', '/api/mentors', { headers: owner.headers, payload: { bio: 'Line one\nLine two\twith a tab' } })
    t.same([mentorProfile.status, mentorProfile.body.bio], [201, 'Line one\nLine two\twith a tab'])
    const bell = await call(app, 'PUT', `/api/mentors/${mentorProfile.body.id}`, { headers: owner.headers, payload: { bio: 'ding\u0007' } })
    t.same([bell.status, bell.body.details], [400, [{ field: 'bio', message: 'must not contain control characters (tabs and line breaks are fine)' }]])
  })
})

t.test('hole 9, consistency: a profile that is deleted or erased ends its live matches through the lifecycle', async (t) => {
  const app = await buildApp(t)
  const { orgId, owner } = await organization(app)
  const cases: Array<[string, (teacher: Awaited<ReturnType<typeof mentor>>, learner: Awaited<ReturnType<typeof mentee>>) => Promise<{ status: number }>, 'mentor' | 'mentee']> = [
    ['the mentor deletes their own profile', (teacher) => call(app, 'DELETE', `/api/mentors/${teacher.profile.id}`, { headers: teacher.headers }), 'mentee'],
    ['the mentee deletes their own profile', (_teacher, learner) => call(app, 'DELETE', `/api/mentees/${learner.profile.id}`, { headers: learner.headers }), 'mentor'],
    ['the mentor marks their profile deleted with PUT', (teacher) => call(app, 'PUT', `/api/mentors/${teacher.profile.id}`, { headers: teacher.headers, payload: { deleted: true } }), 'mentee'],
    ['staff erase the mentee profile', (_teacher, learner) => call(app, 'DELETE', `/api/mentees/${learner.profile.id}/remove`, { headers: owner.headers }), 'mentor']
  ]
  for (const [name, leave, stays] of cases) {
    const teacher = await mentor(app, orgId)
    const learner = await mentee(app, orgId)
    const match = await activeMatch(app, owner, teacher, learner)
    t.equal(statusOf(app, `${stays}s`, (stays === 'mentor' ? teacher : learner).profile.id), 'UNAVAILABLE', `${name}: held before`)
    t.equal((await leave(teacher, learner)).status, 200, name)
    t.equal(statusOf(app, `${stays}s`, (stays === 'mentor' ? teacher : learner).profile.id), 'AVAILABLE', `${name}: the ${stays} is free again`)
    const row = rowsOf(app, 'matches').find((candidate) => (candidate as Row).id === match.id) as Row | undefined
    if (row) t.match(row, { status: 'CANCELLED', end_date: String }, `${name}: the match ended`)
    const told = notices(app).filter(([user, content]) => content === 'Your match has been cancelled!' && [teacher.user.id, learner.user.id].includes(user as number))
    t.equal(told.length, 2, `${name}: both were told`)
  }
})

t.test('hole 10, property-level exposure: a member walking user ids sees only the public view of others', async (t) => {
  const app = await buildApp(t)
  const owner = await registerOrganization(app)
  const org = owner.organization.id
  const people = [
    await createUser(app, org, 'MANAGER', { street: '1 Main St', city: 'Lisbon' }),
    await createUser(app, org, 'MENTOR', { zipcode: '94110' }),
    await createUser(app, org, 'USER')
  ]
  const walker = await createUser(app, org, 'MENTEE')
  for (const person of [owner, ...people]) {
    const seen = await call(app, 'GET', `/api/users/${person.user.id}`, { headers: walker.headers })
    t.same(seen.body, {
      id: person.user.id, first_name: person.user.first_name, last_name: person.user.last_name, avatar_url: person.user.avatar_url, role: person.user.role
    }, `${person.user.role}: the public view only`)
  }
  for (const reader of [owner, people[0]!]) {
    const whole = await call(app, 'GET', `/api/users/${people[1]!.user.id}`, { headers: reader.headers })
    t.match(whole.body, { email: people[1]!.user.email, zipcode: '94110' }, `${reader.user.role} sees the whole record`)
  }
  t.equal((await call(app, 'GET', '/api/users', { headers: walker.headers })).status, 403, 'and members cannot list users')
})
