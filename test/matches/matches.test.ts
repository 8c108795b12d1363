import t from 'tap'
import { buildApp, call, createUser, rowsOf, scopeOf } from '../helper'
import { MATCH_MESSAGES as M, MEETING_MESSAGES } from '../../domain/matches/messages'
import { activeMatch, mentee, mentor, notices, organization, statusOf } from '../fixtures'

t.test('POST /api/matches pairs two AVAILABLE profiles, takes their places and notifies both', async (t) => {
  const app = await buildApp(t)
  const { orgId, manager } = await organization(app)
  const teacher = await mentor(app, orgId)
  const learner = await mentee(app, orgId)

  const res = await call(app, 'POST', '/api/matches', {
    headers: manager.headers,
    payload: { mentor_id: teacher.profile.id, mentee_id: learner.profile.id, match_score: 0.75, start_date: '2026-09-01T10:00:00+02:00' }
  })
  t.equal(res.status, 201)
  t.match(res.body, {
    mentor_id: teacher.profile.id,
    mentee_id: learner.profile.id,
    status: 'ACTIVE',
    match_score: 0.75,
    start_date: '2026-09-01T08:00:00.000Z',
    end_date: null,
    cancel_reason: null,
    deleted: false,
    mentor: { id: teacher.profile.id, user_id: teacher.user.id, status: 'UNAVAILABLE', user: { id: teacher.user.id, first_name: teacher.user.first_name, last_name: 'Tester' } },
    mentee: { id: learner.profile.id, user_id: learner.user.id, status: 'UNAVAILABLE', user: { id: learner.user.id, first_name: learner.user.first_name } }
  })
  t.notOk('organization_id' in res.body, 'the record does not expose its tenancy column')
  t.equal(statusOf(app, 'mentees', learner.profile.id), 'UNAVAILABLE')
  t.equal(statusOf(app, 'mentors', teacher.profile.id), 'UNAVAILABLE', 'a mentor of capacity 1 is full')
  t.same(notices(app), [[teacher.user.id, M.matchedWithMentee], [learner.user.id, M.matchedWithMentor]])
  t.same(M.matchedWithMentee, 'You have been matched with your mentee!')
  t.same(M.matchedWithMentor, 'You have been matched with your mentor!')

  const defaulted = await call(app, 'POST', '/api/matches', {
    headers: manager.headers,
    payload: { mentor_id: (await mentor(app, orgId)).profile.id, mentee_id: (await mentee(app, orgId)).profile.id }
  })
  t.equal(defaulted.status, 201)
  t.equal(defaulted.body.match_score, 0.1, 'without match_score, the model scores the pair: nothing in common, a free mentor (load_balance 0.1)')
  t.ok(Date.now() - Date.parse(defaulted.body.start_date) < 60_000, 'start_date defaults to now')
})

t.test('capacity: a mentor of capacity 2 takes two mentees, the third is 409, completing one frees a place', async (t) => {
  const app = await buildApp(t)
  const { orgId, owner } = await organization(app)
  const teacher = await mentor(app, orgId, { capacity: 2 })
  const [first, second, third] = [await mentee(app, orgId), await mentee(app, orgId), await mentee(app, orgId)]
  const create = (learner: typeof first) => call(app, 'POST', '/api/matches', {
    headers: owner.headers, payload: { mentor_id: teacher.profile.id, mentee_id: learner.profile.id }
  })

  const one = await create(first)
  t.equal(one.status, 201)
  t.equal(statusOf(app, 'mentors', teacher.profile.id), 'AVAILABLE', 'one place is still free')
  const two = await create(second)
  t.equal(two.status, 201)
  t.equal(statusOf(app, 'mentors', teacher.profile.id), 'UNAVAILABLE', 'both places are taken')

  const matchesBefore = rowsOf(app, 'matches')
  const noticesBefore = rowsOf(app, 'notifications')
  const refused = await create(third)
  t.equal(refused.status, 409)
  t.same(refused.body, { error: `The mentor (id ${teacher.profile.id}) is UNAVAILABLE: only an AVAILABLE mentor can be matched` })
  // Staff may set a full mentor AVAILABLE by hand: the count of live matches still refuses.
  app.domain.tables.mentors.update(scopeOf(orgId), teacher.profile.id, { status: 'AVAILABLE' })
  const full = await create(third)
  t.equal(full.status, 409)
  t.same(full.body, { error: `The mentor (id ${teacher.profile.id}) has no free capacity: 2 active matches of a capacity of 2` })
  t.same(rowsOf(app, 'matches'), matchesBefore, 'refusals write no match')
  t.same(rowsOf(app, 'notifications'), noticesBefore, 'refusals write no notification')
  t.equal(statusOf(app, 'mentees', third.profile.id), 'AVAILABLE')
  app.domain.tables.mentors.update(scopeOf(orgId), teacher.profile.id, { status: 'UNAVAILABLE' })

  const completed = await call(app, 'PUT', `/api/matches/${one.body.id}`, { headers: owner.headers, payload: { status: 'COMPLETED' } })
  t.equal(completed.status, 200)
  t.equal(statusOf(app, 'mentors', teacher.profile.id), 'AVAILABLE', 'completing frees a place')
  t.equal(statusOf(app, 'mentees', first.profile.id), 'AVAILABLE')
  const three = await create(third)
  t.equal(three.status, 201)
  t.equal(statusOf(app, 'mentors', teacher.profile.id), 'UNAVAILABLE')
  t.equal((await call(app, 'GET', `/api/matches?mentor_id=${teacher.profile.id}&status=ACTIVE`, { headers: owner.headers })).headers['x-total-count'], '2')
})

t.test('POST /api/matches refuses, saying why, and writes nothing', async (t) => {
  const app = await buildApp(t)
  const { orgId, owner } = await organization(app)
  const other = await organization(app)
  const teacher = await mentor(app, orgId, { capacity: 3 })
  const learner = await mentee(app, orgId)
  const pendingMentor = await mentor(app, orgId, { status: 'PENDING' })
  const pendingMentee = await mentee(app, orgId, { status: 'PENDING' })
  const foreignMentee = await mentee(app, other.orgId)
  const deletedMentee = await mentee(app, orgId)
  app.domain.tables.mentees.update(scopeOf(orgId), deletedMentee.profile.id, { deleted: true })
  const existing = await call(app, 'POST', '/api/matches', { headers: owner.headers, payload: { mentor_id: teacher.profile.id, mentee_id: learner.profile.id } })
  t.equal(existing.status, 201)
  // One person holding both profiles cannot be their own mentor.
  const twoHats = app.domain.tables.mentees.insert(scopeOf(orgId), { user_id: teacher.user.id, status: 'AVAILABLE', lambda_week: 2 })

  const before = { matches: rowsOf(app, 'matches'), notifications: rowsOf(app, 'notifications'), mentors: rowsOf(app, 'mentors'), mentees: rowsOf(app, 'mentees') }
  const cases: Array<[string, Record<string, unknown>, number, string]> = [
    ['no mentor_id', { mentee_id: learner.profile.id }, 400, 'Invalid request: mentor_id is required'],
    ['no mentee_id', { mentor_id: teacher.profile.id }, 400, 'Invalid request: mentee_id is required'],
    ['a text id', { mentor_id: '1', mentee_id: learner.profile.id }, 400, 'Invalid request: mentor_id must be integer'],
    ['a score above 1', { mentor_id: teacher.profile.id, mentee_id: learner.profile.id, match_score: 1.5 }, 400, 'Invalid request: match_score must be <= 1'],
    ['a bad start date', { mentor_id: teacher.profile.id, mentee_id: learner.profile.id, start_date: 'soon' }, 400, 'Invalid request: start_date must be a date and time with its time zone, such as 2026-12-08T15:00:00Z'],
    ['an unknown property', { mentor_id: teacher.profile.id, mentee_id: learner.profile.id, status: 'COMPLETED' }, 400, 'Invalid request: status is not allowed'],
    ['an unknown mentor', { mentor_id: 9999, mentee_id: learner.profile.id }, 400, 'mentor_id does not name a mentor profile of your organization'],
    ['a mentee of another organization', { mentor_id: teacher.profile.id, mentee_id: foreignMentee.profile.id }, 400, 'mentee_id does not name a mentee profile of your organization'],
    ['a deleted mentee', { mentor_id: teacher.profile.id, mentee_id: deletedMentee.profile.id }, 400, 'mentee_id does not name a mentee profile of your organization'],
    ['one person on both sides', { mentor_id: teacher.profile.id, mentee_id: twoHats.id }, 400, 'mentee_id: a person cannot be matched with themself'],
    ['the same pair again', { mentor_id: teacher.profile.id, mentee_id: learner.profile.id }, 409, `This mentor and mentee are already in an ACTIVE match (id ${existing.body.id})`],
    ['a PENDING mentee', { mentor_id: teacher.profile.id, mentee_id: pendingMentee.profile.id }, 409, `The mentee (id ${pendingMentee.profile.id}) is PENDING: only an AVAILABLE mentee can be matched`],
    ['a matched mentee', { mentor_id: (await mentor(app, orgId)).profile.id, mentee_id: learner.profile.id }, 409, `The mentee (id ${learner.profile.id}) is UNAVAILABLE: only an AVAILABLE mentee can be matched`],
    ['a PENDING mentor', { mentor_id: pendingMentor.profile.id, mentee_id: pendingMentee.profile.id }, 409, `The mentee (id ${pendingMentee.profile.id}) is PENDING: only an AVAILABLE mentee can be matched`],
    ['a PENDING mentor of an AVAILABLE mentee', { mentor_id: pendingMentor.profile.id, mentee_id: (await mentee(app, orgId)).profile.id }, 409, `The mentor (id ${pendingMentor.profile.id}) is PENDING: only an AVAILABLE mentor can be matched`]
  ]
  before.mentors = rowsOf(app, 'mentors')
  before.mentees = rowsOf(app, 'mentees')
  for (const [name, payload, status, error] of cases) {
    const res = await call(app, 'POST', '/api/matches', { headers: owner.headers, payload })
    t.equal(res.status, status, name)
    t.equal(res.body.error, error, name)
  }
  for (const role of ['MENTOR', 'MENTEE', 'USER'] as const) {
    const caller = await createUser(app, orgId, role)
    const res = await call(app, 'POST', '/api/matches', { headers: caller.headers, payload: { mentor_id: teacher.profile.id, mentee_id: (await mentee(app, orgId)).profile.id } })
    t.equal(res.status, 403, `a ${role} may not match`)
    t.same(res.body, { error: 'Not authorized' })
  }
  const unsigned = await call(app, 'POST', '/api/matches', { payload: { mentor_id: teacher.profile.id, mentee_id: learner.profile.id } })
  t.equal(unsigned.status, 401)
  t.same(rowsOf(app, 'matches'), before.matches)
  t.same(rowsOf(app, 'notifications'), before.notifications)
  t.same(rowsOf(app, 'mentors').slice(0, before.mentors.length), before.mentors, 'no profile status changed')
  t.same(rowsOf(app, 'mentees').slice(0, before.mentees.length), before.mentees)
})

t.test('an ADMINISTRATOR matches within one organization, never across two', async (t) => {
  const app = await buildApp(t)
  const admin = await createUser(app, null, 'ADMINISTRATOR')
  const first = await organization(app)
  const second = await organization(app)
  const teacher = await mentor(app, first.orgId)
  const foreign = await mentee(app, second.orgId)
  const crossed = await call(app, 'POST', '/api/matches', { headers: admin.headers, payload: { mentor_id: teacher.profile.id, mentee_id: foreign.profile.id } })
  t.equal(crossed.status, 400)
  t.same(crossed.body, { error: "mentee_id names a profile of another organization than the match's" })
  t.same(rowsOf(app, 'matches'), [])

  const local = await mentee(app, first.orgId)
  const res = await call(app, 'POST', '/api/matches', { headers: admin.headers, payload: { mentor_id: teacher.profile.id, mentee_id: local.profile.id } })
  t.equal(res.status, 201)
  t.match(rowsOf(app, 'matches'), [{ id: res.body.id, organization_id: first.orgId }])
  t.match(rowsOf(app, 'notifications'), [{ organization_id: first.orgId }, { organization_id: first.orgId }])
})

t.test('PUT /api/matches/:id: completing and cancelling free the places and tell both; resuming checks again', async (t) => {
  const app = await buildApp(t)
  const { orgId, manager } = await organization(app)
  const teacher = await mentor(app, orgId)
  const learner = await mentee(app, orgId)
  const created = await activeMatch(app, manager, teacher, learner)
  const url = `/api/matches/${created.id}`

  const completed = await call(app, 'PUT', url, { headers: manager.headers, payload: { status: 'COMPLETED' } })
  t.equal(completed.status, 200)
  t.match(completed.body, { status: 'COMPLETED', mentor: { status: 'AVAILABLE' }, mentee: { status: 'AVAILABLE' } })
  t.ok(Date.now() - Date.parse(completed.body.end_date) < 60_000, 'ending a match dates its end')
  t.same(notices(app).slice(2), [[teacher.user.id, M.completed], [learner.user.id, M.completed]])

  const resumed = await call(app, 'PUT', url, { headers: manager.headers, payload: { status: 'ACTIVE' } })
  t.equal(resumed.status, 200)
  t.match(resumed.body, { status: 'ACTIVE', end_date: null, mentor: { status: 'UNAVAILABLE' }, mentee: { status: 'UNAVAILABLE' } })
  t.same(notices(app).slice(4), [[teacher.user.id, M.matchedWithMentee], [learner.user.id, M.matchedWithMentor]])

  const cancelled = await call(app, 'PUT', url, {
    headers: manager.headers, payload: { status: 'CANCELLED', cancel_reason: 'Moved abroad', end_date: '2026-12-01T00:00:00Z' }
  })
  t.equal(cancelled.status, 200)
  t.match(cancelled.body, { status: 'CANCELLED', cancel_reason: 'Moved abroad', end_date: '2026-12-01T00:00:00.000Z' })
  t.equal(statusOf(app, 'mentors', teacher.profile.id), 'AVAILABLE')
  t.equal(statusOf(app, 'mentees', learner.profile.id), 'AVAILABLE')
  t.same(notices(app).slice(6), [[teacher.user.id, M.cancelled], [learner.user.id, M.cancelled]])

  // Meanwhile the mentee is matched elsewhere: resuming the cancelled match must refuse.
  const rival = await mentor(app, orgId)
  t.equal((await call(app, 'POST', '/api/matches', { headers: manager.headers, payload: { mentor_id: rival.profile.id, mentee_id: learner.profile.id } })).status, 201)
  const before = { matches: rowsOf(app, 'matches'), notifications: rowsOf(app, 'notifications'), mentors: rowsOf(app, 'mentors') }
  const refused = await call(app, 'PUT', url, { headers: manager.headers, payload: { status: 'ACTIVE' } })
  t.equal(refused.status, 409)
  t.same(refused.body, { error: `The mentee (id ${learner.profile.id}) is UNAVAILABLE: only an AVAILABLE mentee can be matched` })
  t.same(rowsOf(app, 'matches'), before.matches)
  t.same(rowsOf(app, 'notifications'), before.notifications)
  t.same(rowsOf(app, 'mentors'), before.mentors)

  const edited = await call(app, 'PUT', url, { headers: manager.headers, payload: { match_score: 0.5, cancel_reason: null, start_date: '2026-01-01T00:00:00-05:00' } })
  t.equal(edited.status, 200)
  t.match(edited.body, { status: 'CANCELLED', match_score: 0.5, cancel_reason: null, start_date: '2026-01-01T05:00:00.000Z', end_date: '2026-12-01T00:00:00.000Z' })
  t.equal(rowsOf(app, 'notifications').length, before.notifications.length, 'editing details notifies nobody')

  const bad = await call(app, 'PUT', url, { headers: manager.headers, payload: { status: 'DONE' } })
  t.equal(bad.status, 400)
  t.same(bad.body.details, [{ field: 'status', message: 'must be one of ACTIVE, COMPLETED, CANCELLED' }])
})

t.test('freeing a match never touches a PENDING profile, nor a mentee still held by another match', async (t) => {
  const app = await buildApp(t)
  const { orgId, owner } = await organization(app)
  const teacher = await mentor(app, orgId)
  const learner = await mentee(app, orgId)
  const created = await activeMatch(app, owner, teacher, learner)
  app.domain.tables.mentors.update(scopeOf(orgId), teacher.profile.id, { status: 'PENDING' })
  // Staff reopened the matched mentee by hand and matched it a second time.
  app.domain.tables.mentees.update(scopeOf(orgId), learner.profile.id, { status: 'AVAILABLE' })
  const second = await mentor(app, orgId)
  t.equal((await call(app, 'POST', '/api/matches', { headers: owner.headers, payload: { mentor_id: second.profile.id, mentee_id: learner.profile.id } })).status, 201)

  t.equal((await call(app, 'PUT', `/api/matches/${created.id}`, { headers: owner.headers, payload: { status: 'COMPLETED' } })).status, 200)
  t.equal(statusOf(app, 'mentors', teacher.profile.id), 'PENDING')
  t.equal(statusOf(app, 'mentees', learner.profile.id), 'UNAVAILABLE', 'the other live match still holds the mentee')
})

t.test('re-pointing a live match moves the places and tells the people affected', async (t) => {
  const app = await buildApp(t)
  const { orgId, owner } = await organization(app)
  const teacher = await mentor(app, orgId)
  const learner = await mentee(app, orgId)
  const created = await activeMatch(app, owner, teacher, learner)
  const url = `/api/matches/${created.id}`

  const newLearner = await mentee(app, orgId)
  const menteeMoved = await call(app, 'PUT', url, { headers: owner.headers, payload: { mentee_id: newLearner.profile.id } })
  t.equal(menteeMoved.status, 200)
  t.match(menteeMoved.body, { status: 'ACTIVE', mentee_id: newLearner.profile.id, mentee: { user_id: newLearner.user.id, status: 'UNAVAILABLE' } })
  t.equal(statusOf(app, 'mentees', learner.profile.id), 'AVAILABLE', 'the old mentee is free')
  t.equal(statusOf(app, 'mentors', teacher.profile.id), 'UNAVAILABLE', 'the mentor keeps its one place taken')
  t.same(notices(app).slice(2), [
    [learner.user.id, M.removed],
    [newLearner.user.id, M.matchedWithMentor],
    [teacher.user.id, M.newMentee]
  ])
  t.equal(M.newMentee, 'Your match has been updated - now you are matched with a new mentee!')

  const newTeacher = await mentor(app, orgId)
  const mentorMoved = await call(app, 'PUT', url, { headers: owner.headers, payload: { mentor_id: newTeacher.profile.id } })
  t.equal(mentorMoved.status, 200)
  t.equal(statusOf(app, 'mentors', teacher.profile.id), 'AVAILABLE')
  t.equal(statusOf(app, 'mentors', newTeacher.profile.id), 'UNAVAILABLE')
  t.same(notices(app).slice(5), [
    [teacher.user.id, M.removed],
    [newTeacher.user.id, M.matchedWithMentee],
    [newLearner.user.id, M.newMentor]
  ])
  t.equal(M.newMentor, 'Your match has been updated - now you are matched with a new mentor!')
  t.equal(M.removed, 'Your match has been removed!')

  const before = { matches: rowsOf(app, 'matches'), notifications: rowsOf(app, 'notifications'), mentors: rowsOf(app, 'mentors'), mentees: rowsOf(app, 'mentees') }
  const busy = await mentor(app, orgId, { status: 'UNAVAILABLE' })
  before.mentors = rowsOf(app, 'mentors')
  const refusals: Array<[Record<string, unknown>, number, string]> = [
    [{ mentor_id: busy.profile.id }, 409, `The mentor (id ${busy.profile.id}) is UNAVAILABLE: only an AVAILABLE mentor can be matched`],
    [{ mentee_id: learner.profile.id, mentor_id: 9999 }, 400, 'mentor_id does not name a mentor profile of your organization'],
    [{ mentee_id: 9999 }, 400, 'mentee_id does not name a mentee profile of your organization']
  ]
  for (const [payload, status, error] of refusals) {
    const res = await call(app, 'PUT', url, { headers: owner.headers, payload })
    t.equal(res.status, status)
    t.same(res.body, { error })
  }
  t.same(rowsOf(app, 'matches'), before.matches)
  t.same(rowsOf(app, 'notifications'), before.notifications)
  t.same(rowsOf(app, 'mentors'), before.mentors)
  t.same(rowsOf(app, 'mentees'), before.mentees)

  // Re-pointing an ended match holds no place, so it checks only that the profile exists.
  t.equal((await call(app, 'PUT', url, { headers: owner.headers, payload: { status: 'COMPLETED' } })).status, 200)
  const noticesAfterEnd = rowsOf(app, 'notifications').length
  const quiet = await call(app, 'PUT', url, { headers: owner.headers, payload: { mentor_id: busy.profile.id } })
  t.equal(quiet.status, 200)
  t.equal(quiet.body.mentor_id, busy.profile.id)
  t.equal(statusOf(app, 'mentors', busy.profile.id), 'UNAVAILABLE')
  t.equal(rowsOf(app, 'notifications').length, noticesAfterEnd, 'nobody is told about an ended match')
})

t.test('DELETE /api/matches/:id soft-deletes, frees the places and tells both; staff restore it through the checks', async (t) => {
  const app = await buildApp(t)
  const { orgId, owner } = await organization(app)
  const teacher = await mentor(app, orgId)
  const learner = await mentee(app, orgId)
  const created = await activeMatch(app, owner, teacher, learner)
  const url = `/api/matches/${created.id}`

  const deleted = await call(app, 'DELETE', url, { headers: owner.headers })
  t.equal(deleted.status, 200)
  t.match(deleted.body, { id: created.id, deleted: true, status: 'ACTIVE' })
  t.equal(statusOf(app, 'mentors', teacher.profile.id), 'AVAILABLE')
  t.equal(statusOf(app, 'mentees', learner.profile.id), 'AVAILABLE')
  t.same(notices(app).slice(2), [[teacher.user.id, M.removed], [learner.user.id, M.removed]])

  t.equal((await call(app, 'GET', url, { headers: owner.headers })).status, 404)
  t.equal((await call(app, 'DELETE', url, { headers: owner.headers })).status, 404)
  t.equal((await call(app, 'GET', '/api/matches', { headers: owner.headers })).body.length, 0)
  t.equal((await call(app, 'GET', `${url}?include_deleted=true`, { headers: owner.headers })).body.deleted, true)
  t.equal((await call(app, 'GET', '/api/matches?include_deleted=true', { headers: owner.headers })).body.length, 1)

  const restored = await call(app, 'PUT', url, { headers: owner.headers, payload: { deleted: false } })
  t.equal(restored.status, 200)
  t.match(restored.body, { deleted: false, status: 'ACTIVE', mentor: { status: 'UNAVAILABLE' }, mentee: { status: 'UNAVAILABLE' } })
  t.same(notices(app).slice(4), [[teacher.user.id, M.matchedWithMentee], [learner.user.id, M.matchedWithMentor]])

  // A deleted match whose mentor has since filled up cannot come back.
  t.equal((await call(app, 'DELETE', url, { headers: owner.headers })).status, 200)
  t.equal((await call(app, 'POST', '/api/matches', { headers: owner.headers, payload: { mentor_id: teacher.profile.id, mentee_id: (await mentee(app, orgId)).profile.id } })).status, 201)
  const before = rowsOf(app, 'matches')
  const refused = await call(app, 'PUT', url, { headers: owner.headers, payload: { deleted: false } })
  t.equal(refused.status, 409)
  t.same(refused.body, { error: `The mentor (id ${teacher.profile.id}) is UNAVAILABLE: only an AVAILABLE mentor can be matched` })
  t.same(rowsOf(app, 'matches'), before)
})

t.test('DELETE /api/matches/:id/remove erases the match and its meetings and frees the places', async (t) => {
  const app = await buildApp(t)
  const { orgId, owner } = await organization(app)
  const teacher = await mentor(app, orgId)
  const learner = await mentee(app, orgId)
  const created = await activeMatch(app, owner, teacher, learner)
  const meeting = await call(app, 'POST', '/api/meetings', {
    headers: learner.headers, payload: { match_id: created.id, meeting_date: '2026-09-02T15:00:00Z', location: 'Library' }
  })
  t.equal(meeting.status, 201)

  const removed = await call(app, 'DELETE', `/api/matches/${created.id}/remove`, { headers: owner.headers })
  t.equal(removed.status, 200)
  t.same(removed.body, { id: created.id, removed: true })
  t.same(rowsOf(app, 'matches'), [])
  t.same(rowsOf(app, 'meetings'), [], 'its meetings go with it')
  t.equal(statusOf(app, 'mentors', teacher.profile.id), 'AVAILABLE')
  t.equal(statusOf(app, 'mentees', learner.profile.id), 'AVAILABLE')
  t.same(notices(app).slice(2), [[teacher.user.id, MEETING_MESSAGES.recorded], [teacher.user.id, M.removed], [learner.user.id, M.removed]],
    'the mentee recorded the meeting, so the mentor was told')
  t.equal((await call(app, 'DELETE', `/api/matches/${created.id}/remove`, { headers: owner.headers })).status, 404)

  // Erasing a match that was already soft-deleted tells nobody a second time.
  const again = await call(app, 'POST', '/api/matches', { headers: owner.headers, payload: { mentor_id: teacher.profile.id, mentee_id: learner.profile.id } })
  await call(app, 'DELETE', `/api/matches/${again.body.id}`, { headers: owner.headers })
  const noticeCount = rowsOf(app, 'notifications').length
  t.equal((await call(app, 'DELETE', `/api/matches/${again.body.id}/remove`, { headers: owner.headers })).status, 200)
  t.equal(rowsOf(app, 'notifications').length, noticeCount)
  t.same(rowsOf(app, 'matches'), [])
})

t.test('who sees and changes which match: staff, the parties, others of the organization, other organizations', async (t) => {
  const app = await buildApp(t)
  const { orgId, owner, manager, user } = await organization(app)
  const other = await organization(app)
  const admin = await createUser(app, null, 'ADMINISTRATOR')
  const teacher = await mentor(app, orgId, { capacity: 2 })
  const learner = await mentee(app, orgId)
  const classmate = await mentee(app, orgId)
  const outsider = await mentor(app, orgId)
  const ours = await activeMatch(app, owner, teacher, learner)
  const theirsToo = await activeMatch(app, owner, teacher, classmate)
  const foreign = await call(app, 'POST', '/api/matches', {
    headers: other.owner.headers, payload: { mentor_id: (await mentor(app, other.orgId)).profile.id, mentee_id: (await mentee(app, other.orgId)).profile.id }
  })
  t.equal(foreign.status, 201)
  const ids = (body: Array<{ id: number }>) => body.map((match) => match.id)

  const lists: Array<[string, Record<string, string>, string, number[]]> = [
    ['the OWNER', owner.headers, '', [theirsToo.id, ours.id]],
    ['a MANAGER', manager.headers, '', [theirsToo.id, ours.id]],
    ['the mentor', teacher.headers, '', [theirsToo.id, ours.id]],
    ['a mentee', learner.headers, '', [ours.id]],
    ['a mentor of no match', outsider.headers, '', []],
    ['a USER', user.headers, '', []],
    ['the ADMINISTRATOR', admin.headers, '', [foreign.body.id, theirsToo.id, ours.id]],
    ['staff by mentee', owner.headers, `?mentee_id=${classmate.profile.id}`, [theirsToo.id]],
    ['staff by mentor', owner.headers, `?mentor_id=${outsider.profile.id}`, []],
    ['staff by status', owner.headers, '?status=COMPLETED', []],
    ['a mentee asking for another mentee', learner.headers, `?mentee_id=${classmate.profile.id}`, []],
    ['a mentee hiding what staff may see', learner.headers, '?include_deleted=true', [ours.id]]
  ]
  for (const [who, headers, query, expected] of lists) {
    const res = await call(app, 'GET', `/api/matches${query}`, { headers })
    t.equal(res.status, 200, who)
    t.same(ids(res.body), expected, who)
    t.equal(res.headers['x-total-count'], String(expected.length), who)
  }
  const paged = await call(app, 'GET', '/api/matches?limit=1&offset=1', { headers: owner.headers })
  t.same(ids(paged.body), [ours.id])
  t.equal(paged.headers['x-total-count'], '2')
  t.equal((await call(app, 'GET', '/api/matches?status=LIVE', { headers: owner.headers })).status, 400)

  const url = `/api/matches/${ours.id}`
  const reads: Array<[string, Record<string, string>, number]> = [
    ['the OWNER', owner.headers, 200], ['a MANAGER', manager.headers, 200], ['the ADMINISTRATOR', admin.headers, 200],
    ['its mentor', teacher.headers, 200], ['its mentee', learner.headers, 200],
    ['another mentee of the same mentor', classmate.headers, 403], ['another mentor', outsider.headers, 403], ['a USER', user.headers, 403],
    ['staff of another organization', other.owner.headers, 404]
  ]
  for (const [who, headers, status] of reads) {
    const res = await call(app, 'GET', url, { headers })
    t.equal(res.status, status, `GET by ${who}`)
    if (status === 200) t.equal(res.body.id, ours.id)
    if (status === 403) t.same(res.body, { error: 'Not authorized' })
    if (status === 404) t.same(res.body, { error: 'Match not found' })
  }
  t.equal((await call(app, 'GET', '/api/matches/abc', { headers: owner.headers })).status, 400)
  t.equal((await call(app, 'GET', '/api/matches/9999', { headers: owner.headers })).status, 404)

  const before = { matches: rowsOf(app, 'matches'), notifications: rowsOf(app, 'notifications'), mentees: rowsOf(app, 'mentees') }
  const writers: Array<[string, Record<string, string>, number]> = [
    ['its mentor', teacher.headers, 403], ['its mentee', learner.headers, 403], ['a USER', user.headers, 403],
    ['staff of another organization', other.owner.headers, 404]
  ]
  for (const [who, headers, status] of writers) {
    t.equal((await call(app, 'PUT', url, { headers, payload: { status: 'CANCELLED' } })).status, status, `PUT by ${who}`)
    t.equal((await call(app, 'DELETE', url, { headers })).status, status, `DELETE by ${who}`)
    t.equal((await call(app, 'DELETE', `${url}/remove`, { headers })).status, status, `remove by ${who}`)
  }
  t.same(rowsOf(app, 'matches'), before.matches)
  t.same(rowsOf(app, 'notifications'), before.notifications)
  t.same(rowsOf(app, 'mentees'), before.mentees)
  t.equal((await call(app, 'PUT', url, { headers: admin.headers, payload: { status: 'COMPLETED' } })).status, 200, 'the ADMINISTRATOR acts anywhere')
})

t.test('a failing notification write undoes the whole match creation', async (t) => {
  const app = await buildApp(t)
  const { orgId, owner } = await organization(app)
  const teacher = await mentor(app, orgId)
  const learner = await mentee(app, orgId)
  app.sqlite.exec("CREATE TEMP TRIGGER refuse_notifications BEFORE INSERT ON notifications BEGIN SELECT RAISE(ABORT, 'boom'); END")

  const res = await call(app, 'POST', '/api/matches', { headers: owner.headers, payload: { mentor_id: teacher.profile.id, mentee_id: learner.profile.id } })
  t.equal(res.status, 500)
  t.match(res.body.error, /^Internal server error \(request id .+\)$/)
  t.notMatch(JSON.stringify(res.body), /boom|notifications|SQLITE/, 'no internal detail leaks')
  t.same(rowsOf(app, 'matches'), [], 'no match remains')
  t.same(rowsOf(app, 'notifications'), [])
  t.equal(statusOf(app, 'mentees', learner.profile.id), 'AVAILABLE', 'the mentee status change was rolled back')
  t.equal(statusOf(app, 'mentors', teacher.profile.id), 'AVAILABLE', 'the mentor status change was rolled back')

  app.sqlite.exec('DROP TRIGGER refuse_notifications')
  t.equal((await call(app, 'POST', '/api/matches', { headers: owner.headers, payload: { mentor_id: teacher.profile.id, mentee_id: learner.profile.id } })).status, 201)
})
