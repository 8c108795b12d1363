import t from 'tap'
import { call, rowsOf } from '../helper'
import { create, ids, setup } from '../fixtures'

t.test('POST /api/experiences: names, trimming and bad input', async (t) => {
  const world = await setup(t)
  const { app, manager, mentor } = world

  const made = await call(app, 'POST', '/api/experiences', { headers: mentor.headers, payload: { name: '  PostgreSQL  ' } })
  t.equal(made.status, 201)
  t.match(made.body, { user_id: mentor.user.id, name: 'PostgreSQL', deleted: false })
  t.same(Object.keys(made.body).sort(), ['created_at', 'deleted', 'id', 'name', 'updated_at', 'user_id'])

  const before = rowsOf(app, 'experiences')
  const cases: Array<[Record<string, unknown>, string]> = [
    [{}, 'Invalid request: name is required'],
    [{ name: '' }, 'Invalid request: name is required'],
    [{ name: '   ' }, 'Invalid request: name is required'],
    [{ name: null }, 'Invalid request: name must be string'],
    [{ name: 'x'.repeat(101) }, 'Invalid request: name must NOT have more than 100 characters'],
    [{ name: 'Go', level: 3 }, 'Invalid request: level is not allowed']
  ]
  for (const [payload, error] of cases) {
    const res = await call(app, 'POST', '/api/experiences', { headers: mentor.headers, payload })
    t.equal(res.status, 400, JSON.stringify(payload))
    t.equal(res.body.error, error)
  }
  const hundred = await call(app, 'POST', '/api/experiences', { headers: mentor.headers, payload: { name: 'x'.repeat(100) } })
  t.equal(hundred.status, 201, '100 characters fit')
  await call(app, 'DELETE', `/api/experiences/${hundred.body.id}/remove`, { headers: manager.headers })

  const duplicate = await call(app, 'POST', '/api/experiences', { headers: manager.headers, payload: { user_id: mentor.user.id, name: 'PostgreSQL' } })
  t.equal(duplicate.status, 409)
  t.same(duplicate.body, { error: `User ${mentor.user.id} already has an experience named "PostgreSQL"` })
  t.same(rowsOf(app, 'experiences'), before, 'nothing was written')

  const otherUser = await call(app, 'POST', '/api/experiences', { headers: manager.headers, payload: { user_id: manager.user.id, name: 'PostgreSQL' } })
  t.equal(otherUser.status, 201, 'the same name for another user is fine')
})

t.test('PUT /api/experiences/:id renames; a name the user already has is 409', async (t) => {
  const world = await setup(t)
  const { app, mentor, manager } = world
  const go = await create(t, world, '/api/experiences', mentor, { name: 'Go' })
  const rust = await create(t, world, '/api/experiences', mentor, { name: 'Rust' })

  const before = rowsOf(app, 'experiences')
  const clash = await call(app, 'PUT', `/api/experiences/${rust.id}`, { headers: mentor.headers, payload: { name: 'Go' } })
  t.equal(clash.status, 409)
  t.same(clash.body, { error: `User ${mentor.user.id} already has an experience named "Go"` })
  const blank = await call(app, 'PUT', `/api/experiences/${rust.id}`, { headers: manager.headers, payload: { name: ' ' } })
  t.equal(blank.status, 400)
  t.equal(blank.body.error, 'Invalid request: name is required')
  const status = await call(app, 'PUT', `/api/experiences/${rust.id}`, { headers: manager.headers, payload: { status: 'AVAILABLE' } })
  t.equal(status.status, 400)
  t.equal(status.body.error, 'Invalid request: status is not allowed')
  t.same(rowsOf(app, 'experiences'), before)

  const renamed = await call(app, 'PUT', `/api/experiences/${rust.id}`, { headers: mentor.headers, payload: { name: 'Rust and WebAssembly' } })
  t.equal(renamed.status, 200)
  t.match(renamed.body, { id: rust.id, name: 'Rust and WebAssembly', user_id: mentor.user.id })
  const unchanged = await call(app, 'GET', `/api/experiences/${go.id}`, { headers: mentor.headers })
  t.same(unchanged.body, go)
})

t.test('the seed routes of /api/experiences answer 200 and 201', async (t) => {
  const world = await setup(t)
  const { app, mentor, mentee } = world
  const made = await call(app, 'POST', '/api/experiences', { headers: mentor.headers, payload: { name: 'Mentoring' } })
  t.equal(made.status, 201)
  for (const [method, url, payload] of [
    ['GET', '/api/experiences', undefined],
    ['GET', `/api/experiences/${made.body.id}`, undefined],
    ['PUT', `/api/experiences/${made.body.id}`, { name: 'Coaching' }],
    ['DELETE', `/api/experiences/${made.body.id}`, undefined]
  ] as const) {
    const caller = method === 'GET' ? mentee : mentor
    const res = await call(app, method, url, { headers: caller.headers, payload })
    t.equal(res.status, 200, `${method} ${url}`)
  }
  const list = await call(app, 'GET', `/api/experiences?user_id=${mentor.user.id}`, { headers: mentee.headers })
  t.same(ids(list.body), [], 'the deleted experience is gone from the list')
})
