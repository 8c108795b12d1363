import t from 'tap'
import { call, rowsOf } from '../helper'
import { create, ids, roleOf, setup } from '../fixtures'

const LAMBDA_WEEK_REQUIRED = 'lambda_week is required: the cohort week of the mentee, an integer from 1'
const FULL = { lambda_week: 4, desired_zip: '94103', interests: 'React, databases', application_answers: 'I want to ship a product' }

t.test('the seed rows of POST /api/mentees', async (t) => {
  const world = await setup(t)
  const { app, manager, applicant, mentor, mentee, owner } = world

  const full = await call(app, 'POST', '/api/mentees', { headers: mentee.headers, payload: FULL })
  t.equal(full.status, 201, 'on success: 201')
  t.match(full.body, {
    ...FULL,
    user_id: mentee.user.id,
    status: 'PENDING',
    wanted_mentor_id: null,
    deleted: false,
    user: { id: mentee.user.id, email: mentee.user.email, first_name: mentee.user.first_name, last_name: 'Tester', avatar_url: null }
  })
  t.notOk('organization_id' in full.body)

  const successes: Array<[string, { headers: Record<string, string> }, string]> = [
    ['without interests', applicant, 'interests'],
    ['without desired zip', mentor, 'desired_zip'],
    ['without application answers', owner, 'application_answers']
  ]
  for (const [name, caller, field] of successes) {
    const { [field]: _, ...payload } = FULL as Record<string, unknown>
    const res = await call(app, 'POST', '/api/mentees', { headers: caller.headers, payload })
    t.equal(res.status, 201, `${name}: 201`)
    t.equal(res.body[field], null, `${field} is null`)
  }

  const before = rowsOf(app, 'mentees')
  const { lambda_week: _, ...withoutWeek } = FULL
  for (const payload of [withoutWeek, { ...withoutWeek, lambda_week: null }, {}]) {
    const res = await call(app, 'POST', '/api/mentees', { headers: manager.headers, payload })
    t.equal(res.status, 404, `without lambda_week (${JSON.stringify(payload)}): 404, as the seed says`)
    t.equal(res.body.error, LAMBDA_WEEK_REQUIRED)
    t.same(res.body.details.find((d: { field: string }) => d.field === 'lambda_week'), {
      field: 'lambda_week',
      message: payload === withoutWeek || Object.keys(payload).length === 0 ? 'is required' : 'must be integer'
    })
  }
  const noBody = await app.inject({ method: 'POST', url: '/api/mentees', headers: manager.headers })
  t.equal(noBody.statusCode, 404, 'no body at all lacks lambda_week too')
  t.equal(noBody.json().error, LAMBDA_WEEK_REQUIRED)
  t.same(rowsOf(app, 'mentees'), before, 'nothing was written')
})

t.test('POST /api/mentees: every other bad value is 400 and writes nothing', async (t) => {
  const world = await setup(t)
  const { app, mentee } = world
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ lambda_week: 0 }, 'Invalid request: lambda_week must be >= 1'],
    [{ lambda_week: -3 }, 'Invalid request: lambda_week must be >= 1'],
    [{ lambda_week: 1.5 }, 'Invalid request: lambda_week must be integer'],
    [{ lambda_week: '3' }, 'Invalid request: lambda_week must be integer'],
    [{ lambda_week: 2, desired_zip: '9410' }, 'Invalid request: desired_zip must match pattern "^[0-9]{5}$"'],
    [{ lambda_week: 2, desired_zip: 'abcde' }, 'Invalid request: desired_zip must match pattern "^[0-9]{5}$"'],
    [{ lambda_week: 2, desired_zip: 94103 }, 'Invalid request: desired_zip must be string or null'],
    [{ lambda_week: 2, interests: 'x'.repeat(2001) }, 'Invalid request: interests must NOT have more than 2000 characters'],
    [{ lambda_week: 2, wanted_mentor_id: 'one' }, 'Invalid request: wanted_mentor_id must be integer or null'],
    [{ lambda_week: 2, capacity: 2 }, 'Invalid request: capacity is not allowed']
  ]
  for (const [payload, error] of cases) {
    const res = await call(app, 'POST', '/api/mentees', { headers: mentee.headers, payload })
    t.equal(res.status, 400, JSON.stringify(payload))
    t.equal(res.body.error, error)
  }
  const status = await call(app, 'POST', '/api/mentees', { headers: mentee.headers, payload: { lambda_week: 2, status: 'AVAILABLE' } })
  t.equal(status.status, 403)
  t.same(status.body, { error: 'Only staff set the status of a profile' })
  t.same(rowsOf(app, 'mentees'), [])

  const padded = await call(app, 'POST', '/api/mentees', { headers: mentee.headers, payload: { lambda_week: 2, desired_zip: ' 02139 ' } })
  t.equal(padded.status, 201)
  t.equal(padded.body.desired_zip, '02139', 'the zip is trimmed before it is checked')
})

t.test('wanted_mentor_id names a live mentor profile of the organization', async (t) => {
  const world = await setup(t)
  const { app, manager, mentor, mentee, applicant, stranger, away } = world
  const home = await create(t, world, '/api/mentors', manager, { user_id: mentor.user.id })
  const foreign = await create(t, world, '/api/mentors', away, { user_id: stranger.user.id })
  const gone = await create(t, world, '/api/mentors', manager, { user_id: applicant.user.id })
  await call(app, 'DELETE', `/api/mentors/${gone.id}`, { headers: manager.headers })

  for (const wanted of [foreign.id, gone.id, 4242]) {
    const res = await call(app, 'POST', '/api/mentees', { headers: mentee.headers, payload: { lambda_week: 1, wanted_mentor_id: wanted } })
    t.equal(res.status, 400, `mentor ${wanted}`)
    t.same(res.body, { error: `wanted_mentor_id: there is no mentor profile ${wanted} in this organization` })
  }
  t.same(rowsOf(app, 'mentees'), [])

  const profile = await create(t, world, '/api/mentees', mentee, { lambda_week: 1, wanted_mentor_id: home.id })
  t.equal(profile.wanted_mentor_id, home.id)

  const before = rowsOf(app, 'mentees')
  const repoint = await call(app, 'PUT', `/api/mentees/${profile.id}`, { headers: mentee.headers, payload: { wanted_mentor_id: foreign.id, interests: 'x' } })
  t.equal(repoint.status, 400)
  t.same(repoint.body, { error: `wanted_mentor_id: there is no mentor profile ${foreign.id} in this organization` })
  t.same(rowsOf(app, 'mentees'), before, 'the whole edit is refused')

  const cleared = await call(app, 'PUT', `/api/mentees/${profile.id}`, { headers: mentee.headers, payload: { wanted_mentor_id: null } })
  t.equal(cleared.status, 200)
  t.equal(cleared.body.wanted_mentor_id, null)

  const byAdmin = await call(app, 'POST', '/api/mentees', {
    headers: world.admin.headers,
    payload: { user_id: applicant.user.id, lambda_week: 1, wanted_mentor_id: foreign.id }
  })
  t.equal(byAdmin.status, 400, "the ADMINISTRATOR too: the mentor must be of the mentee's organization")
  t.same(byAdmin.body, { error: `wanted_mentor_id: there is no mentor profile ${foreign.id} in this organization` })
})

t.test('the seed rows of GET, PUT and DELETE /api/mentees/:id', async (t) => {
  const world = await setup(t)
  const { app, manager, mentee } = world
  const profile = await create(t, world, '/api/mentees', mentee, FULL)

  const list = await call(app, 'GET', '/api/mentees', { headers: mentee.headers })
  t.equal(list.status, 200, 'GET /api/mentees: 200')
  t.same(list.body, [profile])
  const one = await call(app, 'GET', `/api/mentees/${profile.id}`, { headers: manager.headers })
  t.equal(one.status, 200, 'GET /api/mentees/:id: 200')
  t.same(one.body, profile)
  const missing = await call(app, 'GET', '/api/mentees/4242', { headers: manager.headers })
  t.equal(missing.status, 404, 'no such mentee: 404')
  t.same(missing.body, { error: 'Mentee not found' })

  const edited = await call(app, 'PUT', `/api/mentees/${profile.id}`, { headers: mentee.headers, payload: { lambda_week: 5, desired_zip: null } })
  t.equal(edited.status, 200, 'PUT /api/mentees/:id: 200')
  t.match(edited.body, { ...FULL, lambda_week: 5, desired_zip: null, status: 'PENDING' })

  const before = rowsOf(app, 'mentees')
  for (const [payload, error] of [
    [{ lambda_week: null }, 'Invalid request: lambda_week must be integer'],
    [{ lambda_week: 0 }, 'Invalid request: lambda_week must be >= 1'],
    [{ user_id: 2 }, 'Invalid request: user_id is not allowed']
  ] as const) {
    const res = await call(app, 'PUT', `/api/mentees/${profile.id}`, { headers: mentee.headers, payload })
    t.equal(res.status, 400, `${JSON.stringify(payload)}: an edit without lambda_week is an ordinary 400`)
    t.equal(res.body.error, error)
  }
  t.same(rowsOf(app, 'mentees'), before)

  const deleted = await call(app, 'DELETE', `/api/mentees/${profile.id}`, { headers: mentee.headers })
  t.equal(deleted.status, 200, 'DELETE /api/mentees/:id: 200')
  t.equal(deleted.body.deleted, true)
})

t.test('approval of a mentee promotes a USER to MENTEE; a refused one changes nothing', async (t) => {
  const world = await setup(t)
  const { app, manager, applicant, mentee, away } = world
  const profile = await create(t, world, '/api/mentees', applicant, { lambda_week: 2 })
  const url = `/api/mentees/${profile.id}`

  for (const [caller, payload, status] of [
    [applicant, { status: 'AVAILABLE' }, 403],
    [mentee, { status: 'AVAILABLE' }, 403],
    [away, { status: 'AVAILABLE' }, 404],
    [manager, { status: 'AVAILABLE', lambda_week: 0 }, 400]
  ] as const) {
    const mentees = rowsOf(app, 'mentees')
    const users = rowsOf(app, 'users')
    const res = await call(app, 'PUT', url, { headers: caller.headers, payload })
    t.equal(res.status, status)
    t.type(res.body.error, 'string')
    t.same(rowsOf(app, 'mentees'), mentees)
    t.same(rowsOf(app, 'users'), users)
  }
  t.equal(roleOf(world, applicant.user.id), 'USER')

  const approved = await call(app, 'PUT', url, { headers: manager.headers, payload: { status: 'AVAILABLE' } })
  t.equal(approved.status, 200)
  t.equal(approved.body.status, 'AVAILABLE')
  t.equal(roleOf(world, applicant.user.id), 'MENTEE')

  const byStaff = await create(t, world, '/api/mentees', manager, { user_id: world.mentor.user.id, lambda_week: 1 })
  t.equal(byStaff.status, 'AVAILABLE')
  t.equal(roleOf(world, world.mentor.user.id), 'MENTOR', 'a MENTOR with a mentee profile stays MENTOR')
})

t.test('GET /api/mentees filters by status, user_id and lambda_week', async (t) => {
  const world = await setup(t)
  const { app, manager, applicant, mentor, mentee } = world
  const week1 = await create(t, world, '/api/mentees', applicant, { lambda_week: 1 })
  const week2 = await create(t, world, '/api/mentees', manager, { user_id: mentor.user.id, lambda_week: 2 })
  const week2b = await create(t, world, '/api/mentees', mentee, { lambda_week: 2 })

  const byWeek = await call(app, 'GET', '/api/mentees?lambda_week=2', { headers: mentee.headers })
  t.same(ids(byWeek.body), [week2b.id, week2.id])
  t.equal(byWeek.headers['x-total-count'], '2')
  const pendingWeek2 = await call(app, 'GET', '/api/mentees?lambda_week=2&status=PENDING', { headers: mentee.headers })
  t.same(ids(pendingWeek2.body), [week2b.id])
  const available = await call(app, 'GET', '/api/mentees?status=AVAILABLE', { headers: mentee.headers })
  t.same(ids(available.body), [week2.id])
  const byUser = await call(app, 'GET', `/api/mentees?user_id=${applicant.user.id}`, { headers: mentee.headers })
  t.same(ids(byUser.body), [week1.id])
  const none = await call(app, 'GET', '/api/mentees?lambda_week=9', { headers: mentee.headers })
  t.same(none.body, [])
  t.equal(none.headers['x-total-count'], '0')
  const bad = await call(app, 'GET', '/api/mentees?lambda_week=0', { headers: mentee.headers })
  t.equal(bad.status, 400)
  t.equal(bad.body.error, 'Invalid request in the querystring: lambda_week must be >= 1')
})
