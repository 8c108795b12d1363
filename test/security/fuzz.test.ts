import fc from 'fast-check'
import t from 'tap'
import { activeMatch, mentee, mentor, organization } from '../fixtures'
import { apiRoutes, buildApp, call, createUser, rowsOf } from '../helper'

// Every route with a body, a path parameter or a query string, called with values mutated from its
// own schema into bad ones: every answer must be a 4xx with {error} (or a success), never a 5xx,
// and afterwards the database must be whole and every invariant must hold.

const RUNS_PER_ROUTE = 40

/** The 5xx the contract documents: the seed's duplicate registration, and GitHub sign-in switched off. */
const DOCUMENTED_5XX: Array<[number, RegExp]> = [
  [500, /^User or organization already registered$/],
  [503, /^Sign-in with GitHub is not configured on this server/]
]

const deep = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)
/** Values no field wants: wrong types, the extremes of each type, hostile text. */
const badValue = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, 1.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, [], {}, [1, 'a'], { nested: { too: 'deep' } }),
  fc.constantFrom('', ' ', 'x'.repeat(100_000), "'; DROP TABLE users; --", '<script>alert(1)</script>', '\u0000', '\u001b[31mred',
    '2016-12-31T23:59:60Z', '9999-12-31T23:59:59-23:59', '2026-13-45T99:99:99Z', 'NaN', '-0', '1e400', '__proto__', 'constructor', '🧑‍🏫'.repeat(500)),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.integer(),
  fc.double()
)
/** Values a field might want, so that some requests get past validation and reach the rules. */
const plausibleValue = fc.oneof(
  fc.integer({ min: 1, max: 30 }),
  fc.constantFrom('AVAILABLE', 'PENDING', 'ACTIVE', 'CANCELLED', 'MENTOR', 'OWNER', 'a@example.com', '2026-09-02T15:00:00Z', 'correct horse battery staple'),
  fc.boolean()
)
const pathValue = (ids: string[]) => fc.oneof(
  fc.constantFrom(...ids),
  fc.constantFrom('0', '-1', 'abc', '1.5', '1e20', '9223372036854775807', '%00', '%E0%A4%A', '..', 'a'.repeat(101), '%2F'),
  fc.string({ maxLength: 12 }).map(encodeURIComponent)
)

/** A body as raw JSON text, so that it can carry what JavaScript objects cannot (`__proto__`, depth). */
const bodyText = (fields: string[]) => fc.oneof(
  { weight: 6, arbitrary: fc.dictionary(fc.oneof(fc.constantFrom(...fields, 'extra'), fc.string({ maxLength: 6 })), fc.oneof(badValue, plausibleValue), { maxKeys: 6 }).map((body) => JSON.stringify(body)) },
  { weight: 1, arbitrary: fc.constantFrom('{"__proto__":{"role":"OWNER"}}', '{"constructor":{"prototype":{"x":1}}}', deep(5_000), `{"${fields[0] ?? 'a'}":${deep(5_000)}}`, '[]', '"text"', '42', 'null', '{', '\uFEFF{}') }
)

t.test('fuzzing every route with bad input: never a 5xx, always {error}; the data stays whole', async (t) => {
  const app = await buildApp(t)
  const { orgId, owner } = await organization(app)
  const teacher = await mentor(app, orgId, { capacity: 2 })
  const learner = await mentee(app, orgId)
  const match = await activeMatch(app, owner, teacher, learner)
  await call(app, 'POST', '/api/meetings', { headers: owner.headers, payload: { match_id: match.id, meeting_date: '2026-09-02T15:00:00Z', location: 'Cafe' } })
  await call(app, 'POST', '/api/experiences', { headers: teacher.headers, payload: { name: 'SQL' } })
  const invitation = await call(app, 'POST', '/api/invitations', { headers: owner.headers, payload: { email: 'invited@example.com' } })
  const admin = await createUser(app, null, 'ADMINISTRATOR')
  const ids = ['1', '2', '3', String(match.id), invitation.body.token as string]
  const callers = [owner.headers, learner.headers, admin.headers, {}]

  const routes = (await apiRoutes())
    // Erasing the organization or its OWNER would end the run early; their refusals are tried elsewhere.
    .filter((route) => !['/api/organizations/:id/remove', '/api/users/:id/remove'].includes(route.url))
  let requests = 0
  const failures: string[] = []
  for (const route of routes) {
    const request = fc.record({
      path: fc.constant(route.url).chain((url) => {
        const names = [...url.matchAll(/:(\w+)/g)].map((match) => match[0])
        return fc.tuple(...names.map(() => pathValue(ids))).map((values) => names.reduce((path, name, index) => path.replace(name, values[index]!), url))
      }),
      query: fc.dictionary(fc.oneof(fc.constantFrom(...route.query, 'page'), fc.string({ maxLength: 6 })), fc.oneof(badValue, plausibleValue).map(String), { maxKeys: 3 }),
      body: route.body ? bodyText(route.body) : fc.constant(undefined),
      caller: fc.constantFrom(...callers)
    })
    await fc.assert(fc.asyncProperty(request, async ({ path, query, body, caller }) => {
      requests++
      const search = new URLSearchParams(query).toString()
      const response = await app.inject({
        method: route.method as 'GET',
        url: search ? `${path}?${search}` : path,
        headers: { ...caller, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        payload: body
      })
      const answer = response.body ? response.json() as { error?: unknown } : undefined
      const documented = DOCUMENTED_5XX.some(([status, error]) => response.statusCode === status && error.test(String(answer?.error)))
      const fine = (response.statusCode < 500 || documented) && (response.statusCode < 400 || typeof answer?.error === 'string')
      if (!fine) failures.push(`${route.method} ${path}?${search} ${body?.slice(0, 200)} -> ${response.statusCode} ${response.body.slice(0, 200)}`)
      return fine
    }), { numRuns: RUNS_PER_ROUTE, seed: 20261125, endOnFailure: true })
  }
  t.same(failures, [], 'no 5xx but the documented ones, every refusal an {error}')
  t.comment(`${requests} fuzzed requests over ${routes.length} routes, ${failures.length} answered 5xx or without {error}`)
  t.ok(requests >= routes.length * RUNS_PER_ROUTE)

  t.same(app.sqlite.pragma('integrity_check', { simple: true }), 'ok', 'PRAGMA integrity_check')
  t.same(app.sqlite.pragma('foreign_key_check'), [], 'PRAGMA foreign_key_check')
  const overCapacity = app.sqlite.prepare(`SELECT mentors.id FROM mentors WHERE capacity <
    (SELECT count(*) FROM matches WHERE mentor_id = mentors.id AND status = 'ACTIVE' AND deleted = 0)`).all()
  t.same(overCapacity, [], 'no mentor holds more matches than its capacity')
  const withoutOwner = app.sqlite.prepare(`SELECT id FROM organizations WHERE NOT EXISTS
    (SELECT 1 FROM users WHERE organization_id = organizations.id AND role = 'OWNER' AND deleted = 0)`).all()
  t.same(withoutOwner, [], 'every organization keeps an OWNER')
  const untold = (rowsOf(app, 'matches') as Array<{ mentor_id: number }>).filter((row) =>
    !app.sqlite.prepare(`SELECT 1 FROM notifications JOIN mentors ON mentors.user_id = notifications.user_id
      WHERE mentors.id = ? AND content = 'You have been matched with your mentee!'`).get(row.mentor_id))
  t.same(untold, [], 'every match told its mentor')
})
