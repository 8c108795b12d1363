import t from 'tap'
import { REQUEST_MESSAGES } from '../../domain/requests/messages'
import { mentee, mentor, organization } from '../fixtures'
import { buildApp, call, rowsOf } from '../helper'
import { browserOf, textOf } from './session'

const written = (app: Awaited<ReturnType<typeof buildApp>>) => [rowsOf(app, 'requests'), rowsOf(app, 'matches'), rowsOf(app, 'notifications')]

t.test('a mentee asks a mentor from the page, sees the request, withdraws it; bad input is refused next to its field, writing nothing', async (t) => {
  const app = await buildApp(t)
  const { orgId, owner } = await organization(app)
  const teacher = await mentor(app, orgId, { capacity: 2, bio: 'SQL and interviews' })
  const full = await mentor(app, orgId, { status: 'UNAVAILABLE' })
  const other = await mentor(app, orgId)
  const learner = await mentee(app, orgId)
  const student = browserOf(app, learner.user)

  const page = await student.get('/me/requests')
  t.equal(page.statusCode, 200)
  t.match(page.body, 'href="/me/requests" aria-current="page">My requests</a>', 'the nav links the page')
  t.match(page.body, 'SQL and interviews')
  t.match(page.body, '<td>2 of 2</td>', 'free places')
  const offered = /id="field-mentor_id"[\s\S]*?<\/select>/.exec(page.body)![0]
  t.match(offered, `<option value="${teacher.profile.id}">`)
  t.notMatch(offered, `<option value="${full.profile.id}"`, 'an UNAVAILABLE mentor is not offered')

  const before = written(app)
  const empty = await student.post('/me/requests', { mentor_id: String(teacher.profile.id), message: '  ' })
  t.equal(empty.statusCode, 400)
  t.equal(textOf(empty.body, 'field-message-error'), 'message is required')
  const rank = await student.post('/me/requests', { mentor_id: String(teacher.profile.id), message: 'Hi', rank: '4' })
  t.equal(textOf(rank.body, 'field-rank-error'), 'rank must be <= 3')
  const paused = await student.post('/me/requests', { mentor_id: String(full.profile.id), message: 'Hi' })
  t.equal(textOf(paused.body, 'field-mentor_id-error'), `mentor_id: the mentor (id ${full.profile.id}) is UNAVAILABLE: only an AVAILABLE mentor can be asked`)
  const forged = await student.post('/me/requests', { mentor_id: String(teacher.profile.id), message: 'Hi', status: 'ACCEPTED' })
  t.equal(textOf(forged.body, 'form-error'), 'status is not allowed')
  t.same(written(app), before, 'refusals wrote nothing')

  t.equal((await student.post('/me/requests', { mentor_id: String(teacher.profile.id), message: 'Could you help me with SQL?', rank: '' })).headers.location, '/me/requests')
  const twice = await student.post('/me/requests', { mentor_id: String(teacher.profile.id), message: 'Again' })
  t.equal(textOf(twice.body, 'form-error'), `You already have an open request to this mentor (id ${(rowsOf(app, 'requests')[0] as { id: number }).id})`)
  const held = await student.post('/me/requests', { mentor_id: String(other.profile.id), message: 'Hi', rank: '1' })
  t.match(textOf(held.body, 'field-rank-error'), 'rank 1 is held by your open request')
  const [asked] = rowsOf(app, 'requests') as Array<{ id: number, status: string, rank: number }>
  t.match(asked, { status: 'OPEN', rank: 1 })
  const listed = await student.get('/me/requests')
  t.match(listed.body, new RegExp(`<tr id="request-${asked!.id}">\\s*<td>[^<]+</td><td>1</td><td>OPEN</td><td>0 hours ago</td>`))
  t.match(listed.body, `aria-label="Withdraw my request to ${teacher.user.first_name} Tester"`)

  const staff = browserOf(app, owner.user)
  const open = await staff.get('/staff/requests')
  t.match(open.body, 'href="/staff/requests" aria-current="page">Requests</a>')
  t.match(open.body, `<td>${learner.user.first_name} Tester</td><td>${teacher.user.first_name} Tester</td><td>1</td><td>OPEN</td>`)
  t.match(open.body, 'Page 1 of 1 (1 in all)')
  t.match((await staff.get('/staff/requests?status=DECLINED')).body, 'No requests.')
  t.equal((await staff.get('/staff/requests?status=MAYBE')).statusCode, 400)

  t.equal((await student.post(`/me/requests/${asked!.id}`)).headers.location, '/me/requests')
  t.match(rowsOf(app, 'requests')[0], { status: 'WITHDRAWN' })
  const again = await student.post(`/me/requests/${asked!.id}`)
  t.equal(again.statusCode, 400)
  t.equal(textOf(again.body, 'form-error'), `The request (id ${asked!.id}) is WITHDRAWN: only an OPEN request can be answered or withdrawn`)
})

t.test('requests turned off: the page says so in the API\'s words and offers no form', async (t) => {
  const app = await buildApp(t)
  const { orgId, owner } = await organization(app)
  await mentor(app, orgId)
  const learner = await mentee(app, orgId)
  t.equal((await call(app, 'PUT', `/api/organizations/${orgId}`, { headers: owner.headers, payload: { requests_enabled: false } })).status, 200)
  const page = await browserOf(app, learner.user).get('/me/requests')
  t.equal(textOf(page.body, 'asking-refused'), 'Mentee requests are turned off in this organization: staff make the matches')
  t.notMatch(page.body, 'action="/me/requests" novalidate')
  const pending = await mentee(app, orgId, { status: 'PENDING' })
  t.match(textOf((await browserOf(app, pending.user).get('/me/requests')).body, 'asking-refused'), 'Mentee requests are turned off')
  const noMentor = await browserOf(app, learner.user).get('/me/requests/incoming')
  t.equal(noMentor.statusCode, 200)
  t.match(noMentor.body, 'Nobody has asked you yet.', 'without a mentor profile: nothing addressed to them')
  const staff = browserOf(app, owner.user)
  t.match((await staff.get('/staff/requests?status=&page=2')).body, 'Page 2 of 1 (0 in all)', 'any status, past the last page')
})

t.test('a mentor sees what waits for them, declines with a reason from the list and a note, accepts in one click', async (t) => {
  const app = await buildApp(t)
  const { orgId, owner } = await organization(app)
  const teacher = await mentor(app, orgId)
  const learner = await mentee(app, orgId, { interests: 'sql, interviews' })
  const peer = await mentee(app, orgId)
  const ask = (who: typeof learner, message: string) =>
    call(app, 'POST', '/api/requests', { headers: who.headers, payload: { mentor_id: teacher.profile.id, message } })
  const first = (await ask(learner, 'Could you help me with SQL?')).body
  const second = (await ask(peer, 'Hello there')).body
  const browser = browserOf(app, teacher.user)

  const page = await browser.get('/me/requests/incoming')
  t.match(page.body, 'href="/me/requests/incoming" aria-current="page">Requests to me</a>')
  t.match(textOf(page.body, `request-${first.id}`), 'Interests: sql, interviews')
  t.match(page.body, 'Could you help me with SQL?')
  t.match(page.body, `aria-label="Accept the request of ${learner.user.first_name} Tester"`)

  const before = written(app)
  const bad = await browser.post(`/me/requests/incoming/${second.id}`, { action: 'decline', decline_reason: 'BORED', decline_note: 'x' })
  t.equal(bad.statusCode, 400)
  t.match(textOf(bad.body, `decline_reason-${second.id}-error`), 'decline_reason must be one of')
  const long = await browser.post(`/me/requests/incoming/${second.id}`, { action: 'decline', decline_reason: 'OTHER', decline_note: 'x'.repeat(301) })
  t.equal(textOf(long.body, `decline_note-${second.id}-error`), 'decline_note must NOT have more than 300 characters')
  const unknown = await browser.post(`/me/requests/incoming/${second.id}`, { action: 'ignore' })
  t.match(textOf(unknown.body, 'form-error'), 'action must be one of accept, decline')
  const stranger = browserOf(app, (await mentor(app, orgId)).user)
  const notTheirs = await stranger.post(`/me/requests/incoming/${second.id}`, { action: 'accept' })
  t.equal(textOf(notTheirs.body, 'form-error'), 'Not authorized', 'as the API answers one who is not a party')
  t.same(written(app), before, 'refusals wrote nothing')

  t.equal((await browser.post(`/me/requests/incoming/${second.id}`, { action: 'decline', decline_reason: 'NOT_A_FIT', decline_note: 'Try Ada' })).headers.location, '/me/requests/incoming')
  t.match((rowsOf(app, 'requests') as Array<{ id: number }>).find((row) => row.id === second.id), { status: 'DECLINED', decline_reason: 'NOT_A_FIT', decline_note: 'Try Ada' })
  t.match((await browserOf(app, peer.user).get('/me/requests')).body, 'the mentor does not think they are the right fit: Try Ada', 'the mentee reads the reason and the note')

  t.equal((await browser.post(`/me/requests/incoming/${first.id}`, { action: 'accept' })).headers.location, '/me/matches')
  const accepted = (rowsOf(app, 'requests') as Array<{ id: number, match_id: number | null }>).find((row) => row.id === first.id)!
  t.match(accepted, { status: 'ACCEPTED', match_id: Number })
  t.match((await browser.get('/me/matches')).body, `${teacher.user.first_name} Tester mentors ${learner.user.first_name} Tester`)
  t.match((await browserOf(app, learner.user).get('/me/matches')).body, `${teacher.user.first_name} Tester mentors ${learner.user.first_name} Tester`)
  const notices = rowsOf(app, 'notifications') as Array<{ user_id: number, content: string }>
  t.ok(notices.some((notice) => notice.user_id === learner.user.id && notice.content === REQUEST_MESSAGES.accepted))
  t.match((await browser.get('/me/requests/incoming')).body, 'No request waits for you.')

  // A request whose mentee profile was deleted meanwhile still shows, and can still be declined.
  const leaving = await mentee(app, orgId)
  const third = (await call(app, 'POST', '/api/requests', { headers: leaving.headers, payload: { mentor_id: (await mentor(app, orgId)).profile.id, message: 'Hi' } })).body
  const otherMentor = (rowsOf(app, 'mentors') as Array<{ id: number, user_id: number }>).at(-1)!
  t.equal((await call(app, 'DELETE', `/api/mentees/${leaving.profile.id}`, { headers: owner.headers })).status, 200)
  const theirs = browserOf(app, app.domain.accounts.activeUser(otherMentor.user_id)!)
  t.match(textOf((await theirs.get('/me/requests/incoming')).body, `request-${third.id}`), 'a deleted profile')
})
