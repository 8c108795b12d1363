import t from 'tap'
import { MATCH_MESSAGES } from '../../domain/matches/messages'
import { REQUEST_MESSAGES } from '../../domain/requests/messages'
import { activeMatch, mentee, mentor, statusOf } from '../fixtures'
import { call, createUser, rowsOf, scopeOf } from '../helper'
import { ask, DAY, HOUR, noticesAbout, requestRows, requestWorld } from './world'

t.test('POST /api/requests: a mentee asks a mentor; the record, its expiry by the clock, and the mentor told', async (t) => {
  const w = await requestWorld(t)
  const [teacher] = w.teachers
  const created = await ask(w.app, w.learner, teacher!, { message: '  Could you help me with SQL?  ' })
  t.equal(created.status, 201)
  t.same(Object.keys(created.body).sort(), ['age_hours', 'answered_at', 'created_at', 'decline_note', 'decline_reason', 'expires_at', 'id',
    'match_id', 'mentee_id', 'mentor_id', 'message', 'rank', 'status', 'updated_at'])
  t.match(created.body, {
    mentee_id: w.learner.profile.id,
    mentor_id: teacher!.profile.id,
    rank: 1,
    message: 'Could you help me with SQL?',
    status: 'OPEN',
    decline_reason: null,
    answered_at: null,
    match_id: null,
    age_hours: 0,
    created_at: '2026-11-02T09:00:00.000Z',
    expires_at: '2026-11-09T09:00:00.000Z'
  }, "expires_at is the domain clock's now plus the organization's 7 days")
  t.same(noticesAbout(w.app), [{ user_id: teacher!.user.id, content: REQUEST_MESSAGES.requested, match_id: null, about_user_id: w.learner.user.id }])

  // The organization's setting counts for requests made after it changes.
  t.equal((await call(w.app, 'PUT', `/api/organizations/${w.orgId}`, { headers: w.owner.headers, payload: { request_expiry_days: 2 } })).status, 200)
  const second = await ask(w.app, w.learner, w.teachers[1]!)
  t.match(second.body, { rank: 2, expires_at: '2026-11-04T09:00:00.000Z' })
})

t.test('POST /api/requests refusals: each status and error, and nothing written', async (t) => {
  const w = await requestWorld(t)
  const [first, second, third, fourth] = w.teachers as [typeof w.teachers[0], typeof w.teachers[0], typeof w.teachers[0], typeof w.teachers[0]]
  const paused = await mentor(w.app, w.orgId, { status: 'UNAVAILABLE' })
  const full = await mentor(w.app, w.orgId)
  await activeMatch(w.app, w.owner, full, await mentee(w.app, w.orgId))
  // Staff may set a full mentor AVAILABLE by hand: the capacity still counts.
  w.app.sqlite.prepare("UPDATE mentors SET status = 'AVAILABLE' WHERE id = ?").run(full.profile.id)
  const pending = await mentee(w.app, w.orgId, { status: 'PENDING' })
  const twoHats = await createUser(w.app, w.orgId, 'MENTEE')
  const ownMentor = w.app.domain.tables.mentors.insert(scopeOf(w.orgId), { organization_id: w.orgId, user_id: twoHats.user.id, status: 'AVAILABLE', capacity: 1 })
  w.app.domain.tables.mentees.insert(scopeOf(w.orgId), { organization_id: w.orgId, user_id: twoHats.user.id, status: 'AVAILABLE', lambda_week: 1 })
  t.equal((await ask(w.app, w.learner, first)).status, 201)
  t.equal((await ask(w.app, w.learner, second)).status, 201)

  const snapshot = () => [requestRows(w.app), rowsOf(w.app, 'notifications')]
  const before = snapshot()
  const message = 'Could you help me?'
  const refusals: Array<[string, Record<string, string>, Record<string, unknown>, number, string | RegExp]> = [
    ['no mentor_id', w.peer.headers, { message }, 400, 'Invalid request: mentor_id is required'],
    ['no message', w.peer.headers, { mentor_id: first.profile.id }, 400, 'Invalid request: message is required'],
    ['a blank message', w.peer.headers, { mentor_id: first.profile.id, message: '   ' }, 400, 'Invalid request: message is required'],
    ['a message past 1000 characters', w.peer.headers, { mentor_id: first.profile.id, message: 'x'.repeat(1001) }, 400, /message must NOT have more than 1000 characters/],
    ['a rank of 0', w.peer.headers, { mentor_id: first.profile.id, message, rank: 0 }, 400, /rank must be >= 1/],
    ['a rank of 4', w.peer.headers, { mentor_id: first.profile.id, message, rank: 4 }, 400, /rank must be <= 3/],
    ['a rank as text', w.peer.headers, { mentor_id: first.profile.id, message, rank: '1' }, 400, /rank must be integer/],
    ['a mentor_id as text', w.peer.headers, { mentor_id: 'abc', message }, 400, /mentor_id must be integer/],
    ['an unknown property', w.peer.headers, { mentor_id: first.profile.id, message, status: 'ACCEPTED' }, 400, 'Invalid request: status is not allowed'],
    ['an unknown mentor', w.peer.headers, { mentor_id: 9999, message }, 400, 'mentor_id does not name a mentor profile of your organization'],
    ['a mentor of another organization', w.peer.headers, { mentor_id: w.stranger.profile.id, message }, 400, 'mentor_id does not name a mentor profile of your organization'],
    ['an UNAVAILABLE mentor', w.peer.headers, { mentor_id: paused.profile.id, message }, 400, `mentor_id: the mentor (id ${paused.profile.id}) is UNAVAILABLE: only an AVAILABLE mentor can be asked`],
    ['a full mentor', w.peer.headers, { mentor_id: full.profile.id, message }, 400, /has no free place \(1 of 1\)/],
    ['their own mentor profile', twoHats.headers, { mentor_id: ownMentor.id, message }, 400, 'mentor_id: you cannot ask yourself'],
    ['a caller without a mentee profile (staff)', w.owner.headers, { mentor_id: first.profile.id, message }, 403, 'Only a mentee asks a mentor, for themself: you have no mentee profile'],
    ['a MENTOR', first.headers, { mentor_id: second.profile.id, message }, 403, /you have no mentee profile/],
    ['the ADMINISTRATOR', w.admin.headers, { mentor_id: first.profile.id, message }, 403, /you have no mentee profile/],
    ['a PENDING mentee', pending.headers, { mentor_id: first.profile.id, message }, 409, 'Your mentee profile is PENDING: only an AVAILABLE mentee asks a mentor'],
    ['a second open request to the same mentor', w.learner.headers, { mentor_id: first.profile.id, message }, 409, /^You already have an open request to this mentor \(id \d+\)$/],
    ['a rank already held', w.learner.headers, { mentor_id: third.profile.id, message, rank: 2 }, 409, /^rank 2 is held by your open request to mentor/],
    ['no token', {}, { mentor_id: first.profile.id, message }, 401, 'No token provided!']
  ]
  for (const [name, headers, payload, status, error] of refusals) {
    const refused = await call(w.app, 'POST', '/api/requests', { headers, payload })
    t.equal(refused.status, status, name)
    t.match(refused.body.error, error, name)
  }
  t.same(snapshot(), before, 'no refusal wrote anything')

  t.equal((await ask(w.app, w.learner, third)).status, 201)
  const fourthAsked = await ask(w.app, w.learner, fourth)
  t.same([fourthAsked.status, fourthAsked.body.error], [409, 'You already have 3 open requests, the most a mentee may have at once: withdraw one or wait for an answer'], 'the fourth open request')

  const disabled = await call(w.app, 'PUT', `/api/organizations/${w.orgId}`, { headers: w.owner.headers, payload: { requests_enabled: false } })
  t.equal(disabled.status, 200)
  const after = snapshot()
  const off = await ask(w.app, w.peer, first)
  t.same([off.status, off.body], [403, { error: 'Mentee requests are turned off in this organization: staff make the matches' }], 'requests turned off')
  t.same(snapshot(), after, 'nothing written')
})

t.test('ranks: 1 to 3, each held once, the lowest free by default; the wanted mentor is the first choice', async (t) => {
  const w = await requestWorld(t)
  const [a, b, c, d] = w.teachers as Array<typeof w.teachers[0]>
  t.equal((await ask(w.app, w.learner, a!, { rank: 3 })).body.rank, 3)
  t.equal((await ask(w.app, w.learner, b!)).body.rank, 1, 'left out: the lowest free')
  t.equal((await ask(w.app, w.learner, c!)).body.rank, 2)

  const wanting = await mentee(w.app, w.orgId, { wanted_mentor_id: d!.profile.id })
  const kept = await ask(w.app, wanting, a!, { rank: 1 })
  t.same([kept.status, kept.body.error], [400, `rank: 1 is kept for your wanted mentor (wanted_mentor_id ${d!.profile.id})`])
  t.equal((await ask(w.app, wanting, a!)).body.rank, 2, 'another mentor than the wanted one starts at 2')
  const wrong = await ask(w.app, wanting, d!, { rank: 3 })
  t.same([wrong.status, wrong.body.error], [400, 'rank: a request to your wanted mentor (wanted_mentor_id) is your first choice, rank 1'])
  t.equal((await ask(w.app, wanting, d!)).body.rank, 1, 'the wanted mentor is rank 1')
  t.equal((await ask(w.app, wanting, b!)).body.rank, 3)

  const wantingTwo = await mentee(w.app, w.orgId, { wanted_mentor_id: d!.profile.id })
  await ask(w.app, wantingTwo, a!)
  await ask(w.app, wantingTwo, b!)
  const none = await ask(w.app, wantingTwo, c!)
  t.same([none.status, none.body.error], [409, `Every rank is taken: rank 1 is kept for your wanted mentor (wanted_mentor_id ${d!.profile.id}) and your open requests hold the others`])
})

t.test('GET /api/requests and /api/requests/:id: who sees which, the filters and the list conventions', async (t) => {
  const w = await requestWorld(t)
  const [a, b] = w.teachers as Array<typeof w.teachers[0]>
  const first = (await ask(w.app, w.learner, a!)).body
  w.clock.advance(5 * HOUR)
  const second = (await ask(w.app, w.learner, b!)).body
  w.clock.advance(HOUR)
  const third = (await ask(w.app, w.peer, a!)).body
  const theirs = (await ask(w.app, w.strangerMentee, w.stranger)).body
  const list = async (headers: Record<string, string>, query = '') => call(w.app, 'GET', `/api/requests${query}`, { headers })
  const idsOf = (body: Array<{ id: number }>) => body.map((row) => row.id)

  const staff = await list(w.manager.headers)
  t.same(idsOf(staff.body), [third.id, second.id, first.id], 'staff see every request of the organization, newest first')
  t.equal(staff.headers['x-total-count'], '3')
  t.same(staff.body.map((row: { age_hours: number }) => row.age_hours), [0, 1, 6], 'and how long each has waited, by the clock')
  t.same(idsOf((await list(w.learner.headers)).body), [second.id, first.id], 'a mentee their own')
  t.same(idsOf((await list(a!.headers)).body), [third.id, first.id], 'a mentor those addressed to them')
  t.same(idsOf((await list(w.teachers[3]!.headers)).body), [], 'a mentor nobody asked: none')
  t.same(idsOf((await list(w.away.owner.headers)).body), [theirs.id], 'another organization: its own only')
  t.same(idsOf((await list(w.admin.headers)).body), [theirs.id, third.id, second.id, first.id], 'the ADMINISTRATOR: all')

  t.same(idsOf((await list(w.owner.headers, `?mentor_id=${a!.profile.id}`)).body), [third.id, first.id])
  t.same(idsOf((await list(w.owner.headers, `?mentee_id=${w.learner.profile.id}`)).body), [second.id, first.id])
  const paged = await list(w.owner.headers, '?limit=1&offset=1')
  t.same([idsOf(paged.body), paged.headers['x-total-count']], [[second.id], '3'])
  for (const query of ['?status=MAYBE', '?limit=0', '?limit=201', '?mentor_id=abc', '?offset=-1']) {
    const bad = await list(w.owner.headers, query)
    t.equal(bad.status, 400, query)
    t.type(bad.body.error, 'string')
  }
  t.equal((await call(w.app, 'GET', '/api/requests')).status, 401)

  const read = (id: number | string, headers: Record<string, string>) => call(w.app, 'GET', `/api/requests/${id}`, { headers })
  for (const [who, headers] of [['its mentee', w.learner.headers], ['its mentor', a!.headers], ['a MANAGER', w.manager.headers], ['the ADMINISTRATOR', w.admin.headers]] as const) {
    const answer = await read(first.id, headers)
    t.same([answer.status, answer.body.id], [200, first.id], who)
  }
  t.same((await read(first.id, w.peer.headers)).status, 403, 'another mentee of the organization')
  t.same((await read(first.id, b!.headers)).status, 403, 'another mentor of the organization')
  t.same((await read(first.id, w.away.owner.headers)).body, { error: 'Request not found' }, 'another organization: as if absent')
  t.equal((await read(9999, w.owner.headers)).status, 404)
  t.equal((await read('abc', w.owner.headers)).status, 400)

  // The status filter reads the status as the API shows it: OPEN ones past their moment are EXPIRED.
  w.clock.advance(7 * DAY - 6 * HOUR)
  t.same(idsOf((await list(w.owner.headers, '?status=EXPIRED')).body), [first.id])
  t.same(idsOf((await list(w.owner.headers, '?status=OPEN')).body), [third.id, second.id])
  t.equal((await read(first.id, w.owner.headers)).body.status, 'EXPIRED')
  t.equal(requestRows(w.app).filter((row) => (row as { status: string }).status === 'OPEN').length, 4, 'read as EXPIRED, written by nobody yet')
})

t.test('POST /api/requests/:id/accept: the match through the lifecycle, the others CLOSED, everyone told', async (t) => {
  const w = await requestWorld(t)
  const [a, b, c] = w.teachers as Array<typeof w.teachers[0]>
  const toA = (await ask(w.app, w.learner, a!)).body
  const toB = (await ask(w.app, w.learner, b!)).body
  const toC = (await ask(w.app, w.learner, c!)).body
  const peerToA = (await ask(w.app, w.peer, a!)).body
  const accept = (id: number, headers: Record<string, string>) => call(w.app, 'POST', `/api/requests/${id}/accept`, { headers })

  const before = [requestRows(w.app), rowsOf(w.app, 'matches'), rowsOf(w.app, 'notifications')]
  for (const [who, headers, status] of [['its mentee', w.learner.headers, 403], ['another mentor', b!.headers, 403], ['staff', w.owner.headers, 403],
    ['the ADMINISTRATOR', w.admin.headers, 403], ['another organization', w.away.owner.headers, 404]] as const) {
    t.equal((await accept(toA.id, headers)).status, status, who)
  }
  t.same((await accept(toA.id, w.learner.headers)).body, { error: 'Only the mentor a request is addressed to answers it' })
  t.same([requestRows(w.app), rowsOf(w.app, 'matches'), rowsOf(w.app, 'notifications')], before, 'refusals wrote nothing')

  const start = noticesAbout(w.app).length
  const accepted = await accept(toA.id, a!.headers)
  t.equal(accepted.status, 201)
  t.match(accepted.body, { mentor_id: a!.profile.id, mentee_id: w.learner.profile.id, status: 'ACTIVE', mentor: { id: a!.profile.id }, mentee: { id: w.learner.profile.id } })
  t.match(await call(w.app, 'GET', `/api/requests/${toA.id}`, { headers: w.learner.headers }), { body: { status: 'ACCEPTED', match_id: accepted.body.id, answered_at: '2026-11-02T09:00:00.000Z' } })
  for (const other of [toB, toC]) {
    t.match((await call(w.app, 'GET', `/api/requests/${other.id}`, { headers: w.learner.headers })).body, { status: 'CLOSED', answered_at: String }, 'matched elsewhere')
  }
  t.equal((await call(w.app, 'GET', `/api/requests/${peerToA.id}`, { headers: w.peer.headers })).body.status, 'OPEN', "another mentee's request stays")
  t.equal(statusOf(w.app, 'mentees', w.learner.profile.id), 'UNAVAILABLE')
  t.equal(statusOf(w.app, 'mentors', a!.profile.id), 'UNAVAILABLE', 'the mentor is full')
  t.same(noticesAbout(w.app).slice(start), [
    { user_id: a!.user.id, content: MATCH_MESSAGES.matchedWithMentee, match_id: accepted.body.id, about_user_id: w.learner.user.id },
    { user_id: w.learner.user.id, content: MATCH_MESSAGES.matchedWithMentor, match_id: accepted.body.id, about_user_id: a!.user.id },
    { user_id: w.learner.user.id, content: REQUEST_MESSAGES.accepted, match_id: accepted.body.id, about_user_id: a!.user.id },
    { user_id: b!.user.id, content: REQUEST_MESSAGES.closed, match_id: null, about_user_id: w.learner.user.id },
    { user_id: c!.user.id, content: REQUEST_MESSAGES.closed, match_id: null, about_user_id: w.learner.user.id }
  ], "the lifecycle's notices, the mentee's answer, and the mentors whose requests closed")

  const after = [requestRows(w.app), rowsOf(w.app, 'matches'), rowsOf(w.app, 'notifications')]
  const again = await accept(toA.id, a!.headers)
  t.same([again.status, again.body.error], [409, `The request (id ${toA.id}) is ACCEPTED: only an OPEN request can be answered or withdrawn`])
  const closed = await accept(toB.id, b!.headers)
  t.same([closed.status, closed.body.error], [409, `The request (id ${toB.id}) is CLOSED: only an OPEN request can be answered or withdrawn`])
  const full = await accept(peerToA.id, a!.headers)
  t.same([full.status, full.body.error], [409, `The mentor (id ${a!.profile.id}) is UNAVAILABLE: only an AVAILABLE mentor can be matched`], 'no free place left')
  t.same([requestRows(w.app), rowsOf(w.app, 'matches'), rowsOf(w.app, 'notifications')], after, 'nothing written')
  t.equal((await accept(9999, a!.headers)).status, 404)
  t.equal((await call(w.app, 'POST', '/api/requests/abc/accept', { headers: a!.headers })).status, 400)
})

t.test('accept when the mentee is no longer AVAILABLE, or a profile was deleted: 409', async (t) => {
  const w = await requestWorld(t)
  const [a, b] = w.teachers as Array<typeof w.teachers[0]>
  const toA = (await ask(w.app, w.learner, a!)).body
  const peerToA = (await ask(w.app, w.peer, a!)).body
  await activeMatch(w.app, w.owner, b!, w.learner)
  const taken = await call(w.app, 'POST', `/api/requests/${toA.id}/accept`, { headers: a!.headers })
  t.same([taken.status, taken.body.error], [409, `The request (id ${toA.id}) is CLOSED: only an OPEN request can be answered or withdrawn`], 'matched by staff: closed')
  t.equal((await call(w.app, 'PUT', `/api/mentees/${w.peer.profile.id}`, { headers: w.owner.headers, payload: { status: 'UNAVAILABLE' } })).status, 200)
  const paused = await call(w.app, 'POST', `/api/requests/${peerToA.id}/accept`, { headers: a!.headers })
  t.same([paused.status, paused.body.error], [409, `The mentee (id ${w.peer.profile.id}) is UNAVAILABLE: only an AVAILABLE mentee can be matched`])
  t.equal((await call(w.app, 'DELETE', `/api/mentees/${w.peer.profile.id}`, { headers: w.owner.headers })).status, 200)
  const gone = await call(w.app, 'POST', `/api/requests/${peerToA.id}/accept`, { headers: a!.headers })
  t.same([gone.status, gone.body.error], [409, 'A profile of this request has been deleted: it can only be declined'])
  t.equal((await call(w.app, 'POST', `/api/requests/${peerToA.id}/decline`, { headers: a!.headers, payload: { decline_reason: 'OTHER' } })).status, 200)
})

t.test('POST /api/requests/:id/decline: a reason from the list, an optional note, the mentee told', async (t) => {
  const w = await requestWorld(t)
  const [a, b] = w.teachers as Array<typeof w.teachers[0]>
  const toA = (await ask(w.app, w.learner, a!)).body
  const decline = (payload: Record<string, unknown>, headers = a!.headers, id = toA.id) => call(w.app, 'POST', `/api/requests/${id}/decline`, { headers, payload })

  const before = [requestRows(w.app), rowsOf(w.app, 'notifications')]
  for (const [name, payload, headers, status, error] of [
    ['no reason', {}, a!.headers, 400, 'Invalid request: decline_reason is required'],
    ['an unknown reason', { decline_reason: 'BUSY' }, a!.headers, 400, 'Invalid request: decline_reason must be one of NO_CAPACITY, NOT_A_FIT, UNAVAILABLE, OTHER'],
    ['a note past 300 characters', { decline_reason: 'OTHER', decline_note: 'x'.repeat(301) }, a!.headers, 400, /decline_note must NOT have more than 300 characters/],
    ['an unknown property', { decline_reason: 'OTHER', status: 'DECLINED' }, a!.headers, 400, 'Invalid request: status is not allowed'],
    ['another mentor', { decline_reason: 'OTHER' }, b!.headers, 403, 'Not authorized'],
    ['its mentee', { decline_reason: 'OTHER' }, w.learner.headers, 403, 'Only the mentor a request is addressed to answers it'],
    ['another organization', { decline_reason: 'OTHER' }, w.away.owner.headers, 404, 'Request not found']
  ] as const) {
    const refused = await decline(payload, headers)
    t.equal(refused.status, status, name)
    t.match(refused.body.error, error, name)
  }
  t.same([requestRows(w.app), rowsOf(w.app, 'notifications')], before, 'refusals wrote nothing')

  w.clock.advance(26 * HOUR)
  const declined = await decline({ decline_reason: 'NO_CAPACITY', decline_note: '  Full until March, sorry  ' })
  t.equal(declined.status, 200)
  t.match(declined.body, { status: 'DECLINED', decline_reason: 'NO_CAPACITY', decline_note: 'Full until March, sorry', answered_at: '2026-11-03T11:00:00.000Z', age_hours: 26 })
  t.same(noticesAbout(w.app).at(-1), {
    user_id: w.learner.user.id,
    content: 'Your mentor request has been declined: the mentor has no free place. The mentor wrote: Full until March, sorry',
    match_id: null,
    about_user_id: a!.user.id
  })
  const again = await decline({ decline_reason: 'OTHER' })
  t.same([again.status, again.body.error], [409, `The request (id ${toA.id}) is DECLINED: only an OPEN request can be answered or withdrawn`])

  const toB = (await ask(w.app, w.learner, b!)).body
  t.equal((await decline({ decline_reason: 'NOT_A_FIT' }, b!.headers, toB.id)).body.decline_note, null)
  t.equal(noticesAbout(w.app).at(-1)!.content, 'Your mentor request has been declined: the mentor does not think they are the right fit.')
  t.equal((await ask(w.app, w.learner, a!)).status, 201, 'a declined request frees the mentor to be asked again')
})

t.test('DELETE /api/requests/:id: its mentee withdraws an OPEN request; the mentor is told', async (t) => {
  const w = await requestWorld(t)
  const [a] = w.teachers as Array<typeof w.teachers[0]>
  const toA = (await ask(w.app, w.learner, a!)).body
  const withdraw = (headers: Record<string, string>) => call(w.app, 'DELETE', `/api/requests/${toA.id}`, { headers })
  const before = [requestRows(w.app), rowsOf(w.app, 'notifications')]
  for (const [who, headers, status] of [['its mentor', a!.headers, 403], ['staff', w.owner.headers, 403], ['another mentee', w.peer.headers, 403], ['another organization', w.away.owner.headers, 404]] as const) {
    t.equal((await withdraw(headers)).status, status, who)
  }
  t.same((await withdraw(a!.headers)).body, { error: 'Only the mentee who made a request withdraws it' })
  t.same([requestRows(w.app), rowsOf(w.app, 'notifications')], before, 'refusals wrote nothing')

  const withdrawn = await withdraw(w.learner.headers)
  t.equal(withdrawn.status, 200)
  t.match(withdrawn.body, { id: toA.id, status: 'WITHDRAWN', answered_at: String })
  t.same(noticesAbout(w.app).at(-1), { user_id: a!.user.id, content: REQUEST_MESSAGES.withdrawn, match_id: null, about_user_id: w.learner.user.id })
  const again = await withdraw(w.learner.headers)
  t.same([again.status, again.body.error], [409, `The request (id ${toA.id}) is WITHDRAWN: only an OPEN request can be answered or withdrawn`])
  t.equal((await call(w.app, 'POST', `/api/requests/${toA.id}/accept`, { headers: a!.headers })).status, 409, 'a withdrawn request cannot be accepted')
})

t.test('a request expires exactly after its days: OPEN a moment before, EXPIRED at its moment; answering it is then 409', async (t) => {
  const w = await requestWorld(t)
  const [a, b, c, d] = w.teachers as Array<typeof w.teachers[0]>
  const toA = (await ask(w.app, w.learner, a!)).body
  await ask(w.app, w.learner, b!)
  await ask(w.app, w.learner, c!)
  const read = async () => (await call(w.app, 'GET', `/api/requests/${toA.id}`, { headers: w.learner.headers })).body.status

  w.clock.advance(7 * DAY - 1)
  t.equal(await read(), 'OPEN', 'one millisecond before its seventh day ends')
  w.clock.advance(1)
  t.equal(await read(), 'EXPIRED', 'exactly seven days after it was made')
  const late = await call(w.app, 'POST', `/api/requests/${toA.id}/accept`, { headers: a!.headers })
  t.same([late.status, late.body.error], [409, `The request (id ${toA.id}) is EXPIRED: only an OPEN request can be answered or withdrawn`])
  t.equal((await call(w.app, 'DELETE', `/api/requests/${toA.id}`, { headers: w.learner.headers })).status, 409)

  // Asking again: the overdue ones are written EXPIRED first (the mentee told, once), so they free their places.
  const start = noticesAbout(w.app).length
  const again = await ask(w.app, w.learner, a!)
  t.equal(again.status, 201, 'an expired request no longer counts, nor blocks its mentor')
  t.equal(again.body.rank, 1)
  t.equal((await ask(w.app, w.learner, d!)).status, 201)
  t.same(noticesAbout(w.app).slice(start).filter((notice) => notice.content === REQUEST_MESSAGES.expired).map((notice) => notice.about_user_id).sort(),
    [a!.user.id, b!.user.id, c!.user.id].sort(), 'the mentee is told of each expired request')
  t.equal(w.app.domain.requests.expireOverdue(), 0, 'the job finds nothing left to expire')
})
