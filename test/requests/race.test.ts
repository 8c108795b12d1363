import { join } from 'node:path'
import t from 'tap'
import { build } from '../../app'
import { request, ROOT, SOURCE, start, temporaryFolder } from '../cli/process'
import { mentee, mentor, organization, statusOf } from '../fixtures'
import { buildApp } from '../helper'
import { ask } from './world'

// Races for real: two server processes on one database file, each with its own connection, sent the
// competing requests at the same moment. Only SQLite's write lock (the IMMEDIATE transactions) and
// its constraints stand between them; one wins, the other is told 409.

const ROUNDS = 3
// Two servers start on a machine shared with other work: more than tap's default 30 s per file.
t.setTimeout(180_000)

t.test('two server processes on one file: accepting, asking and the last place each end with one winner', async (t) => {
  const folder = temporaryFolder(t, 'request-race')
  const env = { DATABASE_PATH: join(folder, 'race.db'), AUTH_RATE_LIMIT: '1000' }
  // This process writes the people (and the JWT secret the servers share, beside the database).
  const app = build({ config: env })
  t.teardown(() => app.close())
  await app.ready()
  const [first, second] = await Promise.all([start(t, SOURCE, { cwd: ROOT, env }), start(t, SOURCE, { cwd: ROOT, env })])
  const { orgId } = await organization(app)
  type Person = { headers: Record<string, string> }
  const post = (server: { url: string }, path: string, who: Person, body?: unknown) =>
    request(`${server.url}${path}`, { method: 'POST', headers: who.headers, body })
  const count = (sql: string, ...values: number[]) => (app.sqlite.prepare(sql).get(...values) as { n: number }).n

  for (let round = 0; round < ROUNDS; round++) {
    // Two mentors accept the same mentee's requests at once.
    const [a, b] = [await mentor(app, orgId), await mentor(app, orgId)]
    const learner = await mentee(app, orgId)
    const toA = (await ask(app, learner, a)).body
    const toB = (await ask(app, learner, b)).body
    const accepted = await Promise.all([post(first, `/api/requests/${toA.id}/accept`, a), post(second, `/api/requests/${toB.id}/accept`, b)])
    t.same(accepted.map((answer) => answer.status).sort(), [201, 409], `round ${round}: one mentor wins the mentee`)
    t.match(accepted.find((answer) => answer.status === 409)?.body.error, /is (CLOSED|ACCEPTED)|mentee .* is UNAVAILABLE/)
    t.equal(count("SELECT count(*) AS n FROM matches WHERE mentee_id = ? AND status = 'ACTIVE'", learner.profile.id), 1, `round ${round}: one match`)
    t.same(app.sqlite.prepare('SELECT status FROM requests WHERE mentee_id = ? ORDER BY status').all(learner.profile.id), [{ status: 'ACCEPTED' }, { status: 'CLOSED' }])

    // Two mentees' requests accepted at once for a mentor's last place.
    const teacher = await mentor(app, orgId, { capacity: 2 })
    const [held, x, y] = [await mentee(app, orgId), await mentee(app, orgId), await mentee(app, orgId)]
    t.equal((await post(first, `/api/requests/${(await ask(app, held, teacher)).body.id}/accept`, teacher)).status, 201)
    const [fromX, fromY] = [(await ask(app, x, teacher)).body, (await ask(app, y, teacher)).body]
    const last = await Promise.all([post(first, `/api/requests/${fromX.id}/accept`, teacher), post(second, `/api/requests/${fromY.id}/accept`, teacher)])
    t.same(last.map((answer) => answer.status).sort(), [201, 409], `round ${round}: one mentee gets the last place`)
    t.match(last.find((answer) => answer.status === 409)?.body.error, new RegExp(`^The mentor \\(id ${teacher.profile.id}\\) is UNAVAILABLE`))
    t.equal(count("SELECT count(*) AS n FROM matches WHERE mentor_id = ? AND status = 'ACTIVE'", teacher.profile.id), 2, `round ${round}: capacity held, not exceeded`)
    t.same([x, y].map((one) => statusOf(app, 'mentees', one.profile.id)).sort(), ['AVAILABLE', 'UNAVAILABLE'])

    // One mentee asks the same mentor twice at once, and four mentors at once.
    const asker = await mentee(app, orgId)
    const mentors = [await mentor(app, orgId), await mentor(app, orgId), await mentor(app, orgId), await mentor(app, orgId)]
    const body = (one: { profile: { id: number } }) => ({ mentor_id: one.profile.id, message: 'Please?' })
    const twice = await Promise.all([post(first, '/api/requests', asker, body(mentors[0]!)), post(second, '/api/requests', asker, body(mentors[0]!))])
    t.same(twice.map((answer) => answer.status).sort(), [201, 409], `round ${round}: one open request per mentor`)
    const four = await Promise.all(mentors.slice(1).map((one, index) => post(index % 2 ? first : second, '/api/requests', asker, body(one))))
    t.same(four.map((answer) => answer.status).sort(), [201, 201, 409], `round ${round}: never a fourth open request`)
    t.equal(count("SELECT count(*) AS n FROM requests WHERE mentee_id = ? AND status = 'OPEN'", asker.profile.id), 3)
    t.same(app.sqlite.prepare("SELECT rank FROM requests WHERE mentee_id = ? AND status = 'OPEN' ORDER BY rank").all(asker.profile.id),
      [{ rank: 1 }, { rank: 2 }, { rank: 3 }], `round ${round}: each rank held once`)
  }
  t.equal(await first.stop(), 0)
  t.equal(await second.stop(), 0)
})

t.test('the database itself refuses a second OPEN request of one mentee to one mentor', async (t) => {
  const app = await buildApp(t)
  const { orgId } = await organization(app)
  const teacher = await mentor(app, orgId)
  const learner = await mentee(app, orgId)
  const created = (await ask(app, learner, teacher)).body
  const again = app.sqlite.prepare(`INSERT INTO requests (organization_id, mentee_id, mentor_id, rank, status, expires_at, created_at, updated_at)
    VALUES (?, ?, ?, 2, 'OPEN', '2099-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')`)
  t.throws(() => again.run(orgId, learner.profile.id, teacher.profile.id), { code: 'SQLITE_CONSTRAINT_UNIQUE' }, 'the partial unique index holds')
  app.sqlite.prepare("UPDATE requests SET status = 'DECLINED' WHERE id = ?").run(created.id)
  t.doesNotThrow(() => again.run(orgId, learner.profile.id, teacher.profile.id), 'once the first is answered, a new one may open')
})
