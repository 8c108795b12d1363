import t from 'tap'
import { MATCH_MESSAGES } from '../../domain/matches/messages'
import { REQUEST_MESSAGES } from '../../domain/requests/messages'
import { call, rowsOf } from '../helper'
import { ask, DAY, HOUR, noticesAbout, requestRows, requestWorld } from './world'

type Row = { id: number, status: string, match_id: number | null, answered_at: string | null }
const rowOf = (rows: unknown[], id: number) => (rows as Row[]).find((row) => row.id === id)!

t.test('POST /api/matches closes the mentee\'s open requests as accepting one does: matched elsewhere, overdue ones expired', async (t) => {
  const w = await requestWorld(t)
  const [a, b, c] = w.teachers as Array<typeof w.teachers[0]>
  const toC = (await ask(w.app, w.learner, c!)).body
  w.clock.advance(6 * DAY)
  const toA = (await ask(w.app, w.learner, a!)).body
  const toB = (await ask(w.app, w.learner, b!)).body
  const peerToA = (await ask(w.app, w.peer, a!)).body
  w.clock.advance(DAY + HOUR)

  const start = noticesAbout(w.app).length
  const made = await call(w.app, 'POST', '/api/matches', { headers: w.owner.headers, payload: { mentor_id: b!.profile.id, mentee_id: w.learner.profile.id } })
  t.equal(made.status, 201)
  const rows = requestRows(w.app)
  t.match(rowOf(rows, toA.id), { status: 'CLOSED', match_id: null, answered_at: String }, 'matched elsewhere')
  t.match(rowOf(rows, toB.id), { status: 'CLOSED', match_id: made.body.id }, 'the request to the mentor staff chose closes with the match')
  t.match(rowOf(rows, toC.id), { status: 'EXPIRED', match_id: null }, 'an overdue one expires')
  t.equal(rowOf(rows, peerToA.id).status, 'OPEN', "another mentee's request stays")
  t.same(noticesAbout(w.app).slice(start), [
    { user_id: b!.user.id, content: MATCH_MESSAGES.matchedWithMentee, match_id: made.body.id, about_user_id: w.learner.user.id },
    { user_id: w.learner.user.id, content: MATCH_MESSAGES.matchedWithMentor, match_id: made.body.id, about_user_id: b!.user.id },
    { user_id: w.learner.user.id, content: REQUEST_MESSAGES.expired, match_id: null, about_user_id: c!.user.id },
    { user_id: a!.user.id, content: REQUEST_MESSAGES.closed, match_id: null, about_user_id: w.learner.user.id }
  ], 'the match\'s notices, the expiry, and the mentor whose request closed; the chosen mentor hears of the match only')

  const read = await call(w.app, 'GET', `/api/requests/${toA.id}`, { headers: w.learner.headers })
  t.equal(read.body.status, 'CLOSED', 'the API reads it CLOSED')
  const answered = await call(w.app, 'POST', `/api/requests/${toA.id}/accept`, { headers: a!.headers })
  t.same([answered.status, answered.body.error], [409, `The request (id ${toA.id}) is CLOSED: only an OPEN request can be answered or withdrawn`])
})

t.test('a refused staff match writes nothing and leaves the requests OPEN', async (t) => {
  const w = await requestWorld(t)
  const [a, b] = w.teachers as Array<typeof w.teachers[0]>
  await ask(w.app, w.learner, a!)
  await call(w.app, 'PUT', `/api/mentors/${b!.profile.id}`, { headers: w.owner.headers, payload: { status: 'UNAVAILABLE' } })
  const before = [requestRows(w.app), rowsOf(w.app, 'matches'), rowsOf(w.app, 'notifications')]
  const refused = await call(w.app, 'POST', '/api/matches', { headers: w.owner.headers, payload: { mentor_id: b!.profile.id, mentee_id: w.learner.profile.id } })
  t.same([refused.status, refused.body], [409, { error: `The mentor (id ${b!.profile.id}) is UNAVAILABLE: only an AVAILABLE mentor can be matched` }])
  const apply = await call(w.app, 'POST', '/api/matches/assignments/apply', {
    headers: w.owner.headers, payload: { pairs: [{ mentee_id: w.learner.profile.id, mentor_id: b!.profile.id }] }
  })
  t.equal(apply.status, 409)
  t.same([requestRows(w.app), rowsOf(w.app, 'matches'), rowsOf(w.app, 'notifications')], before, 'nothing written')
})

t.test('applying a cohort assignment closes the open requests of every mentee it matches, in its one transaction', async (t) => {
  const w = await requestWorld(t)
  const [a, b, c, d] = w.teachers as Array<typeof w.teachers[0]>
  const learnerToA = (await ask(w.app, w.learner, a!)).body
  const peerToB = (await ask(w.app, w.peer, b!)).body
  const peerToC = (await ask(w.app, w.peer, c!)).body
  const applied = await call(w.app, 'POST', '/api/matches/assignments/apply', {
    headers: w.owner.headers,
    payload: { pairs: [{ mentee_id: w.learner.profile.id, mentor_id: d!.profile.id }, { mentee_id: w.peer.profile.id, mentor_id: c!.profile.id }] }
  })
  t.equal(applied.status, 201)
  const rows = requestRows(w.app)
  t.match(rowOf(rows, learnerToA.id), { status: 'CLOSED', match_id: null })
  t.match(rowOf(rows, peerToB.id), { status: 'CLOSED', match_id: null })
  t.match(rowOf(rows, peerToC.id), { status: 'CLOSED', match_id: applied.body[1].id })
  const closedNotices = noticesAbout(w.app).filter((notice) => notice.content === REQUEST_MESSAGES.closed)
  t.same(closedNotices.map((notice) => [notice.user_id, notice.about_user_id]).sort(),
    [[a!.user.id, w.learner.user.id], [b!.user.id, w.peer.user.id]].sort(), 'the mentors of the requests closed elsewhere are told, once each')
})

t.test('resuming a match staff had completed closes the requests its mentee made meanwhile', async (t) => {
  const w = await requestWorld(t)
  const [a, b] = w.teachers as Array<typeof w.teachers[0]>
  const match = (await call(w.app, 'POST', '/api/matches', { headers: w.owner.headers, payload: { mentor_id: a!.profile.id, mentee_id: w.learner.profile.id } })).body
  t.equal((await call(w.app, 'PUT', `/api/matches/${match.id}`, { headers: w.owner.headers, payload: { status: 'COMPLETED' } })).status, 200)
  const toB = (await ask(w.app, w.learner, b!)).body
  t.equal(toB.status, 'OPEN')
  t.equal((await call(w.app, 'PUT', `/api/matches/${match.id}`, { headers: w.owner.headers, payload: { status: 'ACTIVE' } })).status, 200)
  t.match(rowOf(requestRows(w.app), toB.id), { status: 'CLOSED', match_id: null })
})
