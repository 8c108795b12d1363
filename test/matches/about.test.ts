import t from 'tap'
import { MATCH_MESSAGES as M, MEETING_MESSAGES } from '../../domain/matches/messages'
import { activeMatch, mentee, mentor, organization } from '../fixtures'
import { buildApp, call, createUser } from '../helper'

// Notifications worth reading (API.md section 7): each says which match it is about and who the
// other person is, besides the original text.

type Notice = { content: string, match_id: number | null, about: { id: number, first_name: string | null, last_name: string | null } | null }
type Person = { user: { id: number, first_name: string | null, last_name: string | null }, headers: Record<string, string> }

const aboutOf = (person: Person) => ({ id: person.user.id, first_name: person.user.first_name, last_name: person.user.last_name })

async function inbox (app: Awaited<ReturnType<typeof buildApp>>, person: Person): Promise<Notice[]> {
  const answer = await call(app, 'GET', '/api/notifications?limit=200', { headers: person.headers })
  return (answer.body as Notice[]).map(({ content, match_id, about }) => ({ content, match_id, about })).reverse()
}

t.test('the match lifecycle tells each person which match and whom: created, re-pointed, completed, erased', async (t) => {
  const app = await buildApp(t)
  const { orgId, owner } = await organization(app)
  const [teacher, other] = [await mentor(app, orgId), await mentor(app, orgId)]
  const learner = await mentee(app, orgId)
  const match = await activeMatch(app, owner, teacher, learner)
  t.same(await inbox(app, teacher), [{ content: M.matchedWithMentee, match_id: match.id, about: aboutOf(learner) }])
  t.same(await inbox(app, learner), [{ content: M.matchedWithMentor, match_id: match.id, about: aboutOf(teacher) }])

  t.equal((await call(app, 'PUT', `/api/matches/${match.id}`, { headers: owner.headers, payload: { mentor_id: other.profile.id } })).status, 200)
  t.same((await inbox(app, teacher)).at(-1), { content: M.removed, match_id: match.id, about: aboutOf(learner) }, 'the mentor taken out: about the mentee they had')
  t.same(await inbox(app, other), [{ content: M.matchedWithMentee, match_id: match.id, about: aboutOf(learner) }])
  t.same((await inbox(app, learner)).at(-1), { content: M.newMentor, match_id: match.id, about: aboutOf(other) }, 'the mentee who stays: about the new mentor')

  t.equal((await call(app, 'PUT', `/api/matches/${match.id}`, { headers: owner.headers, payload: { status: 'COMPLETED' } })).status, 200)
  t.same((await inbox(app, other)).at(-1), { content: M.completed, match_id: match.id, about: aboutOf(learner) })
  t.equal((await call(app, 'PUT', `/api/matches/${match.id}`, { headers: owner.headers, payload: { status: 'ACTIVE' } })).status, 200)

  t.equal((await call(app, 'DELETE', `/api/matches/${match.id}/remove`, { headers: owner.headers })).status, 200)
  t.same((await inbox(app, learner)).at(-1), { content: M.removed, match_id: null, about: aboutOf(other) }, 'an erased match: null, the person stays')
  t.same((await inbox(app, learner)).map((notice) => notice.match_id), [null, null, null, null, null], 'the match is gone from every notice about it')

  const staffNote = await call(app, 'POST', '/api/notifications', { headers: owner.headers, payload: { user_id: learner.user.id, content: 'Welcome' } })
  t.match(staffNote.body, { match_id: null, about: null }, "staff's own notifications are about nothing in particular")
})

t.test('meetings tell the other party: recorded by the mentor or the mentee, by staff both; a rating given or changed', async (t) => {
  const app = await buildApp(t)
  const { orgId, owner, manager } = await organization(app)
  const teacher = await mentor(app, orgId)
  const learner = await mentee(app, orgId)
  const match = await activeMatch(app, owner, teacher, learner)
  const record = (who: Person, extra: Record<string, unknown> = {}) => call(app, 'POST', '/api/meetings', {
    headers: who.headers, payload: { match_id: match.id, meeting_date: '2026-09-02T15:00:00Z', location: 'Cafe', ...extra }
  })
  const latest = async (who: Person) => (await inbox(app, who)).slice(1)
  const recorded = (partner: Person) => ({ content: MEETING_MESSAGES.recorded, match_id: match.id, about: aboutOf(partner) })
  const rated = (partner: Person) => ({ content: MEETING_MESSAGES.rated, match_id: match.id, about: aboutOf(partner) })

  const byMentor = (await record(teacher)).body
  t.same([await latest(learner), await latest(teacher)], [[recorded(teacher)], []], 'by the mentor: the mentee is told')
  await record(learner, { rating: 5 })
  t.same([await latest(learner), await latest(teacher)], [[recorded(teacher)], [recorded(learner)]], 'by the mentee: the mentor is told (a rating with it is part of the record)')
  await record(manager)
  t.same([await latest(learner), await latest(teacher)], [[recorded(teacher), recorded(teacher)], [recorded(learner), recorded(learner)]], 'by staff: both, each about the other')

  const edit = (who: Person, payload: Record<string, unknown>) => call(app, 'PUT', `/api/meetings/${byMentor.id}`, { headers: who.headers, payload })
  t.equal((await edit(learner, { rating: 4 })).status, 200)
  t.same((await latest(teacher)).at(-1), rated(learner), 'a rating given by the mentee tells the mentor')
  const count = async () => (await latest(teacher)).length + (await latest(learner)).length
  const before = await count()
  await edit(learner, { rating: 4 })
  await edit(teacher, { location: 'Library', notes: 'Went well' })
  await edit(teacher, { rating: null })
  t.equal(await count(), before, 'the same rating again, other details, or a rating cleared: nobody told')
  await edit(teacher, { rating: 3 })
  t.same((await latest(learner)).at(-1), rated(teacher), 'a rating changed by the mentor tells the mentee')
  await edit(owner, { rating: 2 })
  t.same([(await latest(learner)).at(-1), (await latest(teacher)).at(-1)], [rated(teacher), rated(learner)], 'by staff: both')

  const refused = await call(app, 'POST', '/api/meetings', { headers: teacher.headers, payload: { match_id: match.id, location: 'Cafe' } })
  t.equal(refused.status, 400)
  t.equal(await count(), before + 3, 'a refused meeting tells nobody')
})

t.test('POST /api/notifications/read-all: the caller\'s own unread become read; answers how many', async (t) => {
  const app = await buildApp(t)
  const { orgId, owner, manager } = await organization(app)
  const reader = await createUser(app, orgId, 'MENTEE')
  const other = await createUser(app, orgId, 'MENTOR')
  const send = async (to: Person, content: string) => (await call(app, 'POST', '/api/notifications', { headers: manager.headers, payload: { user_id: to.user.id, content } })).body
  const [first, , third] = [await send(reader, 'One'), await send(reader, 'Two'), await send(reader, 'Three'), await send(other, 'Theirs')]
  await call(app, 'PATCH', `/api/notifications/${first.id}`, { headers: reader.headers })
  await call(app, 'DELETE', `/api/notifications/${third.id}`, { headers: reader.headers })
  const watched = () => app.sqlite.prepare('SELECT user_id, content, watched FROM notifications ORDER BY id').all()

  t.same((await call(app, 'POST', '/api/notifications/read-all')).status, 401)
  const answer = await call(app, 'POST', '/api/notifications/read-all', { headers: reader.headers })
  t.same([answer.status, answer.body], [200, { count: 1 }], 'only Two was unread and live')
  t.same(watched(), [
    { user_id: reader.user.id, content: 'One', watched: 1 },
    { user_id: reader.user.id, content: 'Two', watched: 1 },
    { user_id: reader.user.id, content: 'Three', watched: 0 },
    { user_id: other.user.id, content: 'Theirs', watched: 0 }
  ], "a deleted one and someone else's stay as they were")
  t.same((await call(app, 'POST', '/api/notifications/read-all', { headers: reader.headers })).body, { count: 0 }, 'a second time: none')
  t.same((await call(app, 'POST', '/api/notifications/read-all', { headers: owner.headers })).body, { count: 0 }, 'staff mark only their own')
})
