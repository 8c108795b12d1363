import t from 'tap'
import { call, rowsOf, scopeOf } from '../helper'
import { create, ids, roleOf, setup } from '../fixtures'

t.test('the seed rows of /api/mentors', async (t) => {
  const world = await setup(t)
  const { app, manager, mentor } = world

  const created = await call(app, 'POST', '/api/mentors', { headers: mentor.headers, payload: { capacity: 3, bio: 'Rust and Go' } })
  t.equal(created.status, 201, 'POST /api/mentors: 201')
  t.match(created.body, {
    user_id: mentor.user.id,
    status: 'PENDING',
    capacity: 3,
    bio: 'Rust and Go',
    active_matches: 0,
    deleted: false,
    user: {
      id: mentor.user.id,
      first_name: mentor.user.first_name,
      last_name: 'Tester',
      email: mentor.user.email,
      avatar_url: null
    }
  })
  t.match(created.body.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
  t.notOk('organization_id' in created.body, 'the record shows what API.md lists, no more')
  t.notOk('password_hash' in created.body.user)

  const list = await call(app, 'GET', '/api/mentors', { headers: manager.headers })
  t.equal(list.status, 200, 'GET /api/mentors: 200')
  t.same(list.body, [created.body])
  const one = await call(app, 'GET', `/api/mentors/${created.body.id}`, { headers: manager.headers })
  t.equal(one.status, 200, 'GET /api/mentors/:id: 200')
  t.same(one.body, created.body)
  const missing = await call(app, 'GET', '/api/mentors/4242', { headers: manager.headers })
  t.equal(missing.status, 404)
  t.same(missing.body, { error: 'Mentor not found' })
})

t.test('POST /api/mentors: defaults and the status a profile starts with', async (t) => {
  const world = await setup(t)
  const { owner, manager, applicant, mentee } = world

  const own = await create(t, world, '/api/mentors', applicant, {})
  t.match(own, { status: 'PENDING', capacity: 1, bio: null })
  t.equal(roleOf(world, applicant.user.id), 'USER', 'a pending profile promotes nobody')

  const byStaff = await create(t, world, '/api/mentors', manager, { user_id: mentee.user.id })
  t.equal(byStaff.status, 'AVAILABLE', 'staff create approved profiles')
  t.equal(roleOf(world, mentee.user.id), 'MENTEE', 'only a USER is promoted')

  const staffOwn = await create(t, world, '/api/mentors', owner, { capacity: 20 })
  t.match(staffOwn, { status: 'AVAILABLE', capacity: 20 })
  t.equal(roleOf(world, owner.user.id), 'OWNER', 'staff keep their role')
})

t.test('POST /api/mentors: staff creating an approved profile for a USER promote them in the same write', async (t) => {
  const world = await setup(t)
  const { app, manager, applicant, mentor } = world

  const pending = await create(t, world, '/api/mentors', manager, { user_id: mentor.user.id, status: 'PENDING' })
  t.equal(pending.status, 'PENDING', 'staff may choose the status')
  const created = await create(t, world, '/api/mentors', manager, { user_id: applicant.user.id })
  t.equal(created.status, 'AVAILABLE')
  t.equal(roleOf(world, applicant.user.id), 'MENTOR')
  const token = await call(app, 'GET', '/api/users/current_user', { headers: applicant.headers })
  t.equal(token.body.role, 'MENTOR', 'the new role holds at once')
})

t.test('POST /api/mentors: refused bodies write nothing', async (t) => {
  const world = await setup(t)
  const { app, applicant } = world
  const users = rowsOf(app, 'users')

  const cases: Array<[Record<string, unknown>, number, string]> = [
    [{ status: 'AVAILABLE' }, 403, 'Only staff set the status of a profile'],
    [{ capacity: 0 }, 400, 'Invalid request: capacity must be >= 1'],
    [{ capacity: 21 }, 400, 'Invalid request: capacity must be <= 20'],
    [{ capacity: 2.5 }, 400, 'Invalid request: capacity must be integer'],
    [{ capacity: '3' }, 400, 'Invalid request: capacity must be integer'],
    [{ bio: 'x'.repeat(2001) }, 400, 'Invalid request: bio must NOT have more than 2000 characters'],
    [{ bio: 42 }, 400, 'Invalid request: bio must be string or null'],
    [{ status: 'APPROVED' }, 400, 'Invalid request: status must be one of PENDING, AVAILABLE, UNAVAILABLE'],
    [{ user_id: 0 }, 400, 'Invalid request: user_id must be >= 1'],
    [{ active_matches: 3 }, 400, 'Invalid request: active_matches is not allowed']
  ]
  for (const [payload, status, error] of cases) {
    const res = await call(app, 'POST', '/api/mentors', { headers: applicant.headers, payload })
    t.equal(res.status, status, JSON.stringify(payload))
    t.equal(res.body.error, error)
  }
  t.same(rowsOf(app, 'mentors'), [])
  t.same(rowsOf(app, 'users'), users)
})

t.test('PUT /api/mentors/:id: approval promotes a USER to MENTOR in one transaction', async (t) => {
  const world = await setup(t)
  const { app, manager, applicant } = world
  const profile = await create(t, world, '/api/mentors', applicant, { bio: 'Career changer' })
  const url = `/api/mentors/${profile.id}`

  const refusals: Array<[{ headers: Record<string, string> }, Record<string, unknown>, number, string]> = [
    [applicant, { status: 'AVAILABLE' }, 403, 'Only staff set the status of a profile'],
    [applicant, { status: 'PENDING', bio: 'x' }, 403, 'Only staff set the status of a profile'],
    [manager, { status: 'AVAILABLE', capacity: 0 }, 400, 'Invalid request: capacity must be >= 1'],
    [manager, { status: 'AVAILABLE', user_id: 3 }, 400, 'Invalid request: user_id is not allowed']
  ]
  for (const [caller, payload, status, error] of refusals) {
    const mentors = rowsOf(app, 'mentors')
    const users = rowsOf(app, 'users')
    const res = await call(app, 'PUT', url, { headers: caller.headers, payload })
    t.equal(res.status, status, JSON.stringify(payload))
    t.equal(res.body.error, error)
    t.same(rowsOf(app, 'mentors'), mentors, 'the profile is unchanged')
    t.same(rowsOf(app, 'users'), users, 'and so is the role')
  }
  t.equal(roleOf(world, applicant.user.id), 'USER')

  const approved = await call(app, 'PUT', url, { headers: manager.headers, payload: { status: 'AVAILABLE', capacity: 2 } })
  t.equal(approved.status, 200)
  t.match(approved.body, { status: 'AVAILABLE', capacity: 2, bio: 'Career changer' }, 'absent fields stay')
  t.equal(roleOf(world, applicant.user.id), 'MENTOR')
  t.not(approved.body.updated_at, undefined)
})

t.test('PUT /api/mentors/:id: AVAILABLE and UNAVAILABLE alternate; PENDING does not come back', async (t) => {
  const world = await setup(t)
  const { app, owner, manager, mentor } = world
  const profile = await create(t, world, '/api/mentors', manager, { user_id: mentor.user.id })
  const url = `/api/mentors/${profile.id}`

  const paused = await call(app, 'PUT', url, { headers: owner.headers, payload: { status: 'UNAVAILABLE' } })
  t.equal(paused.body.status, 'UNAVAILABLE')
  const reopened = await call(app, 'PUT', url, { headers: owner.headers, payload: { status: 'AVAILABLE' } })
  t.equal(reopened.body.status, 'AVAILABLE')

  const before = rowsOf(app, 'mentors')
  const back = await call(app, 'PUT', url, { headers: owner.headers, payload: { status: 'PENDING' } })
  t.equal(back.status, 409)
  t.same(back.body, { error: 'An approved profile cannot return to PENDING: set it UNAVAILABLE to pause it' })
  t.same(rowsOf(app, 'mentors'), before)

  const own = await call(app, 'PUT', url, { headers: mentor.headers, payload: { bio: 'Now with a bio', capacity: 4 } })
  t.equal(own.status, 200, 'the mentor edits the rest of their profile')
  t.match(own.body, { status: 'AVAILABLE', bio: 'Now with a bio', capacity: 4 })
  const cleared = await call(app, 'PUT', url, { headers: mentor.headers, payload: { bio: null } })
  t.equal(cleared.body.bio, null)
})

t.test('a PENDING profile approved straight to UNAVAILABLE still promotes', async (t) => {
  const world = await setup(t)
  const { app, manager, applicant } = world
  const profile = await create(t, world, '/api/mentors', applicant, {})
  const res = await call(app, 'PUT', `/api/mentors/${profile.id}`, { headers: manager.headers, payload: { status: 'UNAVAILABLE' } })
  t.equal(res.status, 200)
  t.equal(res.body.status, 'UNAVAILABLE')
  t.equal(roleOf(world, applicant.user.id), 'MENTOR')
})

t.test('active_matches counts ACTIVE matches, and capacity cannot drop below them', async (t) => {
  const world = await setup(t)
  const { app, org, manager, mentor, applicant, mentee } = world
  const profile = await create(t, world, '/api/mentors', manager, { user_id: mentor.user.id, capacity: 3 })
  const menteeA = await create(t, world, '/api/mentees', manager, { user_id: mentee.user.id, lambda_week: 1 })
  const menteeB = await create(t, world, '/api/mentees', manager, { user_id: applicant.user.id, lambda_week: 1 })
  // Matches are another route's work; written directly here to give the counter something to count.
  app.domain.tables.matches.insert(scopeOf(org), { mentor_id: profile.id, mentee_id: menteeA.id })
  app.domain.tables.matches.insert(scopeOf(org), { mentor_id: profile.id, mentee_id: menteeB.id })
  app.domain.tables.matches.insert(scopeOf(org), { mentor_id: profile.id, mentee_id: menteeB.id, status: 'COMPLETED' })

  const read = await call(app, 'GET', `/api/mentors/${profile.id}`, { headers: mentor.headers })
  t.equal(read.body.active_matches, 2)
  const list = await call(app, 'GET', '/api/mentors', { headers: mentor.headers })
  t.equal(list.body[0].active_matches, 2)

  const before = rowsOf(app, 'mentors')
  const tooSmall = await call(app, 'PUT', `/api/mentors/${profile.id}`, { headers: mentor.headers, payload: { capacity: 1 } })
  t.equal(tooSmall.status, 409)
  t.same(tooSmall.body, { error: 'capacity 1 is below the 2 active matches of this mentor: end a match first' })
  t.same(rowsOf(app, 'mentors'), before)
  const enough = await call(app, 'PUT', `/api/mentors/${profile.id}`, { headers: mentor.headers, payload: { capacity: 2 } })
  t.equal(enough.status, 200)
  t.equal(enough.body.capacity, 2)

  const erased = await call(app, 'DELETE', `/api/mentors/${profile.id}/remove`, { headers: manager.headers })
  t.same(erased.body, { id: profile.id, removed: true })
  t.same(rowsOf(app, 'matches'), [], "erasing a mentor erases its matches (the database's cascade)")
})

t.test('GET /api/mentors?status= filters, and a bad status is 400', async (t) => {
  const world = await setup(t)
  const { app, manager, applicant, mentor, mentee } = world
  const pending = await create(t, world, '/api/mentors', applicant, {})
  const available = await create(t, world, '/api/mentors', manager, { user_id: mentor.user.id })
  const paused = await create(t, world, '/api/mentors', manager, { user_id: mentee.user.id, status: 'UNAVAILABLE' })

  for (const [status, expected] of [['PENDING', pending], ['AVAILABLE', available], ['UNAVAILABLE', paused]]) {
    const res = await call(app, 'GET', `/api/mentors?status=${status}`, { headers: mentee.headers })
    t.same(ids(res.body), [expected.id], String(status))
    t.equal(res.headers['x-total-count'], '1')
  }
  const both = await call(app, 'GET', `/api/mentors?status=AVAILABLE&user_id=${mentee.user.id}`, { headers: mentee.headers })
  t.same(both.body, [], 'filters combine')
  const bad = await call(app, 'GET', '/api/mentors?status=approved', { headers: mentee.headers })
  t.equal(bad.status, 400)
  t.equal(bad.body.error, 'Invalid request in the querystring: status must be one of PENDING, AVAILABLE, UNAVAILABLE')
})

t.test('erasing a mentor clears the mentees who wanted it', async (t) => {
  const world = await setup(t)
  const { app, manager, mentor, mentee } = world
  const profile = await create(t, world, '/api/mentors', manager, { user_id: mentor.user.id })
  const wanting = await create(t, world, '/api/mentees', mentee, { lambda_week: 2, wanted_mentor_id: profile.id })
  t.equal(wanting.wanted_mentor_id, profile.id)
  await call(app, 'DELETE', `/api/mentors/${profile.id}/remove`, { headers: manager.headers })
  const after = await call(app, 'GET', `/api/mentees/${wanting.id}`, { headers: mentee.headers })
  t.equal(after.body.wanted_mentor_id, null)
})
