import fc from 'fast-check'
import t from 'tap'
import { activeMatch, mentee, mentor, organization } from '../fixtures'
import { apiRoutes, buildApp, call, createUser, rowsOf } from '../helper'

t.test('415 names the content type to send', async (t) => {
  const app = await buildApp(t)
  const text = await call(app, 'POST', '/api/auth/login', { headers: { 'content-type': 'text/plain' }, payload: 'email=x' })
  t.same([text.status, text.body], [415, { error: 'The body is text/plain, which this route does not read: send it with content-type: application/json' }])
  const form = await call(app, 'POST', '/api/auth/register', { headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'email=x' })
  t.same([form.status, form.body], [415, { error: 'The body is application/x-www-form-urlencoded, which this route does not read: send it with content-type: application/json' }])
  const untyped = await app.inject({ method: 'POST', url: '/api/auth/register', payload: Buffer.from('{"email":"x"}') })
  t.same([untyped.statusCode, untyped.json()], [415, { error: 'The body has no content-type: send it with content-type: application/json' }])
  t.same(rowsOf(app, 'users'), [], 'nothing written')
})

t.test('a route that takes no body accepts an empty one sent as application/json', async (t) => {
  const app = await buildApp(t)
  const { orgId, owner } = await organization(app)
  const teacher = await mentor(app, orgId)
  const experience = await call(app, 'POST', '/api/experiences', { headers: teacher.headers, payload: { name: 'SQL' } })
  const json = { ...owner.headers, 'content-type': 'application/json' }

  const removed = await call(app, 'DELETE', `/api/experiences/${experience.body.id}`, { headers: json, payload: '' })
  t.same([removed.status, removed.body.deleted], [200, true], 'DELETE with content-type: application/json and no body')
  const charset = await call(app, 'DELETE', `/api/mentors/${teacher.profile.id}`, { headers: { ...json, 'content-type': 'application/json; charset=utf-8' } })
  t.same([charset.status, charset.body.deleted], [200, true], 'with a charset too')
  const read = await call(app, 'GET', '/api/users/current_user', { headers: json })
  t.equal(read.status, 200, 'a GET alike')

  // A route that does take a body still says that it is missing.
  const emptyLogin = await call(app, 'POST', '/api/auth/login', { headers: { 'content-type': 'application/json' }, payload: '' })
  t.same([emptyLogin.status, emptyLogin.body], [400, { error: "Body cannot be empty when content-type is set to 'application/json'" }])
  // And a body that is not JSON is refused wherever it is sent.
  const garbage = await call(app, 'DELETE', `/api/users/${owner.user.id}`, { headers: json, payload: '{' })
  t.equal(garbage.status, 400)
  t.equal(rowsOf(app, 'users').filter((user) => (user as { deleted: number }).deleted).length, 0, 'nothing deleted')
})

t.test('a date-time in the wrong form: the message shows one in the right form, nothing written', async (t) => {
  const app = await buildApp(t)
  const { orgId, owner } = await organization(app)
  const match = await activeMatch(app, owner, await mentor(app, orgId), await mentee(app, orgId))
  const before = rowsOf(app, 'meetings')
  const res = await call(app, 'POST', '/api/meetings', { headers: owner.headers, payload: { match_id: match.id, meeting_date: '08/12/2026 3pm', location: 'Cafe' } })
  t.same([res.status, res.body], [400, {
    error: 'Invalid request: meeting_date must be a date and time with its time zone, such as 2026-12-08T15:00:00Z',
    details: [{ field: 'meeting_date', message: 'must be a date and time with its time zone, such as 2026-12-08T15:00:00Z' }]
  }])
  t.same(rowsOf(app, 'meetings'), before)
})

t.test('an unknown query parameter is refused with the accepted ones, as unknown body fields are', async (t) => {
  const app = await buildApp(t)
  const { owner } = await organization(app)
  const page = await call(app, 'GET', '/api/meetings?page=2', { headers: owner.headers })
  t.same([page.status, page.body], [400, {
    error: 'Invalid request in the querystring: page is not a query parameter of this route (it accepts limit, offset, include_deleted, match_id)',
    details: [{ field: 'page', message: 'is not a query parameter of this route (it accepts limit, offset, include_deleted, match_id)' }]
  }])
  const none = await call(app, 'GET', '/api/users/current_user?verbose=1', { headers: owner.headers })
  t.same([none.status, none.body], [400, {
    error: 'Invalid request in the querystring: verbose is not accepted: this route takes no query parameters',
    details: [{ field: 'verbose', message: 'is not accepted: this route takes no query parameters' }]
  }])
  const both = await call(app, 'GET', '/api/meetings?limit=0&sort=date', { headers: owner.headers })
  t.equal(both.status, 400)
  t.same(both.body.details.map((detail: { field: string }) => detail.field).sort(), ['limit', 'sort'], 'every problem at once')

  const organizations = rowsOf(app, 'organizations')
  const write = await call(app, 'PUT', `/api/organizations/${owner.organization.id}?force=true`, { headers: owner.headers, payload: { name: 'Renamed' } })
  t.same([write.status, write.body.details], [400, [{ field: 'force', message: 'is not accepted: this route takes no query parameters' }]], 'on writes too')
  t.same(rowsOf(app, 'organizations'), organizations, 'and nothing is written')

  t.equal((await call(app, 'GET', '/api/meetings?limit=5&offset=0&match_id=1', { headers: owner.headers })).status, 200, 'declared ones pass')
})

t.test('property: every GET route of the API refuses any query parameter it does not declare', async (t) => {
  const app = await buildApp(t)
  const admin = await createUser(app, null, 'ADMINISTRATOR')
  const routes = (await apiRoutes()).filter((route) => route.method === 'GET')
  t.ok(routes.length > 20, `${routes.length} GET routes`)
  for (const route of routes) {
    // Path parameters are checked before the query: each gets a value its route accepts.
    const url = route.url.replace(':what', 'people').replace(/:\w+/g, '1')
    await fc.assert(fc.asyncProperty(
      fc.stringMatching(/^[a-z_][a-z0-9_]{0,15}$/).filter((key) => !route.query.includes(key)),
      fc.string({ maxLength: 8 }),
      async (key, value) => {
        const res = await call(app, 'GET', `${url}?${key}=${encodeURIComponent(value)}`, { headers: admin.headers })
        return res.status === 400 && res.body.details.some((detail: { field: string, message: string }) => detail.field === key && /^is not (a query parameter|accepted)/.test(detail.message))
      }), { numRuns: 15 })
  }
})
