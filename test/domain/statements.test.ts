import { setImmediate as nextTurn } from 'node:timers/promises'
import t, { type Test } from 'tap'
import { activeMatch, mentee, mentor, organization } from '../fixtures'
import { buildApp, call } from '../helper'

/**
 * How many SQL statements a request runs, counted by the connection itself (better-sqlite3's
 * `verbose`), transaction statements included. The first authenticated request of a turn of the
 * event loop asks whether another connection wrote (`PRAGMA data_version`), and each request then
 * reads the caller unless it is kept in memory; the budgets count what comes after. Each request
 * here starts a turn of its own, as one over HTTP would after the last one's answer.
 */
async function counting (t: Test) {
  let recording: string[] | null = null
  const app = await buildApp(t, {}, { database: { trace: (sql) => recording?.push(sql) } })
  const statementsOf = async (request: () => Promise<{ status: number }>) => {
    await nextTurn()
    recording = []
    const { status } = await request()
    const [freshness, ...rest] = recording as string[]
    recording = null
    t.equal(freshness, 'PRAGMA data_version', 'authentication first checks whether the kept users are current')
    const callerRead = /^select .* from "users" where ("users"\.)?"id" = /i.test(rest[0] ?? '')
    return { status, statements: callerRead ? rest.slice(1) : rest, callerRead }
  }
  return { app, statementsOf }
}

// The match lifecycle's own savepoint inside staff's transaction, and the read of the mentee's open requests it closes, count too.
t.test('POST /api/matches: at most 11 statements beyond authentication, in one IMMEDIATE transaction', async (t) => {
  const { app, statementsOf } = await counting(t)
  const { orgId, owner } = await organization(app)
  const teacher = await mentor(app, orgId)
  const learner = await mentee(app, orgId)
  const { status, statements } = await statementsOf(() => call(app, 'POST', '/api/matches', {
    headers: owner.headers, payload: { mentor_id: teacher.profile.id, mentee_id: learner.profile.id }
  }))
  t.equal(status, 201)
  t.ok(statements.length <= 11, `${statements.length} statements`)
  t.equal(statements[0], 'BEGIN IMMEDIATE', 'the checks read inside the write lock')
  t.equal(statements.at(-1), 'COMMIT')
  t.equal(statements.filter((sql) => /from "mentors"/i.test(sql)).length, 1, 'the mentor is read once')
  t.equal(statements.filter((sql) => /from "mentees"/i.test(sql)).length, 1, 'the mentee is read once')
  t.equal(statements.filter((sql) => /^insert into "notifications"/i.test(sql)).length, 1, 'both notifications in one insert')
})

t.test('GET /api/mentees/:id: one statement beyond authentication, the mentee joined with its user', async (t) => {
  const { app, statementsOf } = await counting(t)
  const { orgId, owner } = await organization(app)
  const learner = await mentee(app, orgId)
  const { status, statements } = await statementsOf(() => call(app, 'GET', `/api/mentees/${learner.profile.id}`, { headers: owner.headers }))
  t.equal(status, 200)
  t.equal(statements.length, 1, statements.join('\n'))
  t.match(statements[0], /from "mentees" inner join "users"/)
})

t.test('a signed-in user is read once, then kept: the next request reads no user row', async (t) => {
  const { app, statementsOf } = await counting(t)
  const { orgId, owner } = await organization(app)
  const learner = await mentee(app, orgId)
  const read = () => statementsOf(() => call(app, 'GET', `/api/mentees/${learner.profile.id}`, { headers: owner.headers }))
  t.ok((await read()).callerRead, 'the first request reads the caller')
  const again = await read()
  t.equal(again.status, 200)
  t.notOk(again.callerRead, 'the second one finds them in memory')
})

t.test('a refused request runs none of its writes', async (t) => {
  const { app, statementsOf } = await counting(t)
  const { orgId, owner } = await organization(app)
  const teacher = await mentor(app, orgId)
  const learner = await mentee(app, orgId)
  await activeMatch(app, owner, teacher, learner)
  const { status, statements } = await statementsOf(() => call(app, 'POST', '/api/matches', {
    headers: owner.headers, payload: { mentor_id: teacher.profile.id, mentee_id: learner.profile.id }
  }))
  t.equal(status, 409)
  t.notOk(statements.some((sql) => /^(insert|update|delete)/i.test(sql)), 'no write was attempted')
  t.equal(statements.at(-1), 'ROLLBACK')
})

t.test('GET /api/notifications: the same statements for a page of 1 as of 20, the people they are about read in one', async (t) => {
  const { app, statementsOf } = await counting(t)
  const { orgId, owner } = await organization(app)
  const teacher = await mentor(app, orgId, { capacity: 20 })
  const first = await mentee(app, orgId)
  await activeMatch(app, owner, teacher, first)
  const one = await statementsOf(() => call(app, 'GET', '/api/notifications', { headers: teacher.headers }))
  for (let n = 0; n < 19; n++) await activeMatch(app, owner, teacher, await mentee(app, orgId))
  const many = await statementsOf(() => call(app, 'GET', '/api/notifications?limit=200', { headers: teacher.headers }))
  t.equal(one.status, 200)
  t.equal(many.statements.length, one.statements.length, `${many.statements.length} statements for 20 notifications about 20 people`)
  t.ok(one.statements.length <= 4, 'the page, whether the database changed since its total was counted, its count, and the people it is about')
  t.equal(many.statements.filter((sql) => /from "users"/.test(sql)).length, 1)
})

/**
 * The bench's requests prepare nothing once each has run: a query built and compiled again on every
 * call (drizzle's builder without .prepare()) was most of the time of a cheap request.
 */
t.test('the hot requests prepare no statement after their first call', async (t) => {
  const app = await buildApp(t)
  const { orgId, owner } = await organization(app)
  const teacher = await mentor(app, orgId, { capacity: 5 })
  const learners = [await mentee(app, orgId), await mentee(app, orgId), await mentee(app, orgId)]
  const match = await activeMatch(app, owner, teacher, learners[0]!)
  const notifications = (await call(app, 'GET', '/api/notifications', { headers: teacher.headers })).body as Array<{ id: number }>
  const requests: Array<[string, (round: number) => Promise<{ status: number }>]> = [
    ['GET /health', () => call(app, 'GET', '/health')],
    ['GET /api/mentees/:id', () => call(app, 'GET', `/api/mentees/${learners[0]!.profile.id}`, { headers: owner.headers })],
    ['GET /api/mentees?limit=50', () => call(app, 'GET', '/api/mentees?limit=50', { headers: owner.headers })],
    ['GET /api/matches?status=ACTIVE&limit=50', () => call(app, 'GET', '/api/matches?status=ACTIVE&limit=50', { headers: owner.headers })],
    ['POST /api/meetings', () => call(app, 'POST', '/api/meetings', { headers: owner.headers, payload: { match_id: match.id, meeting_date: '2026-01-15T10:00:00Z', location: 'Library' } })],
    ['PATCH /api/notifications/:id', () => call(app, 'PATCH', `/api/notifications/${notifications[0]!.id}`, { headers: teacher.headers })],
    ['POST /api/matches', (round) => call(app, 'POST', '/api/matches', { headers: owner.headers, payload: { mentor_id: teacher.profile.id, mentee_id: learners[round + 1]!.profile.id } })]
  ]
  const prepare = app.sqlite.prepare
  let prepared: string[] = []
  app.sqlite.prepare = function (this: typeof app.sqlite, source: string) {
    prepared.push(source)
    return prepare.call(this, source)
  } as typeof prepare
  t.teardown(() => { app.sqlite.prepare = prepare })
  for (const [name, request] of requests) {
    const first = await request(0)
    prepared = []
    const second = await request(1)
    t.ok(first.status < 300 && second.status < 300, `${name}: ${first.status}, ${second.status}`)
    t.same(prepared, [], `${name} prepares nothing the second time`)
  }
})
