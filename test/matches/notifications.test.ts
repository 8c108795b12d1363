import type { FastifyInstance } from 'fastify'
import t from 'tap'
import { buildApp, call, createUser, rowsOf } from '../helper'
import { MATCH_MESSAGES as M } from '../../domain/matches/messages'
import { activeMatch, mentee, mentor, organization } from '../fixtures'

/** An organization whose mentor and mentee were just matched (so each has one notification). */
async function world (app: FastifyInstance) {
  const home = await organization(app)
  const other = await organization(app)
  const admin = await createUser(app, null, 'ADMINISTRATOR')
  const teacher = await mentor(app, home.orgId)
  const learner = await mentee(app, home.orgId)
  await activeMatch(app, home.owner, teacher, learner)
  return { ...home, other, admin, teacher, learner }
}

t.test('GET /api/notifications: the caller\'s own (ADMINISTRATOR: all), filtered by watched', async (t) => {
  const app = await buildApp(t)
  const { owner, manager, user, other, admin, teacher, learner } = await world(app)
  const sent = await call(app, 'POST', '/api/notifications', { headers: manager.headers, payload: { user_id: learner.user.id, content: 'First meeting on Monday' } })
  t.equal(sent.status, 201)

  const mine = await call(app, 'GET', '/api/notifications', { headers: learner.headers })
  t.equal(mine.status, 200)
  t.match(mine.body, [
    { user_id: learner.user.id, content: 'First meeting on Monday', watched: false, deleted: false },
    { user_id: learner.user.id, content: M.matchedWithMentor, watched: false, deleted: false }
  ])
  t.equal(mine.body.length, 2)
  t.equal(mine.headers['x-total-count'], '2')
  t.same(Object.keys(mine.body[0]).sort(), ['about', 'content', 'created_at', 'deleted', 'id', 'match_id', 'updated_at', 'user_id', 'watched'])
  t.match((await call(app, 'GET', '/api/notifications', { headers: teacher.headers })).body, [{ user_id: teacher.user.id, content: M.matchedWithMentee }])
  for (const headers of [owner.headers, manager.headers, user.headers, other.owner.headers]) {
    t.same((await call(app, 'GET', '/api/notifications', { headers })).body, [], 'nobody lists anyone else\'s, staff included')
  }
  const everyone = await call(app, 'GET', '/api/notifications', { headers: admin.headers })
  t.equal(everyone.body.length, 3)

  await call(app, 'PATCH', `/api/notifications/${sent.body.id}`, { headers: learner.headers })
  const read = await call(app, 'GET', '/api/notifications?watched=true', { headers: learner.headers })
  t.same(read.body.map((n: { id: number }) => n.id), [sent.body.id])
  const unread = await call(app, 'GET', '/api/notifications?watched=false', { headers: learner.headers })
  t.same(unread.body.map((n: { content: string }) => n.content), [M.matchedWithMentor])
  t.equal(unread.headers['x-total-count'], '1')
  t.equal((await call(app, 'GET', '/api/notifications?watched=maybe', { headers: learner.headers })).status, 400)
  t.equal((await call(app, 'GET', '/api/notifications')).status, 401)
})

t.test('POST /api/notifications: staff notify a user of their organization; everything else is refused and writes nothing', async (t) => {
  const app = await buildApp(t)
  const { orgId, owner, manager, user, other, admin, teacher, learner } = await world(app)

  const res = await call(app, 'POST', '/api/notifications', { headers: owner.headers, payload: { user_id: user.user.id, content: '  Welcome aboard  ' } })
  t.equal(res.status, 201)
  t.match(res.body, { user_id: user.user.id, content: 'Welcome aboard', watched: false, deleted: false })
  const byAdmin = await call(app, 'POST', '/api/notifications', { headers: admin.headers, payload: { user_id: user.user.id, content: 'Maintenance tonight' } })
  t.equal(byAdmin.status, 201)
  t.match(rowsOf(app, 'notifications').at(-1), { organization_id: orgId, user_id: user.user.id }, "an ADMINISTRATOR's notification lands in the recipient's organization")

  const before = rowsOf(app, 'notifications')
  const refusals: Array<[string, Record<string, string>, Record<string, unknown>, number, string]> = [
    ['no user_id', manager.headers, { content: 'Hi' }, 400, 'Invalid request: user_id is required'],
    ['no content', manager.headers, { user_id: user.user.id }, 400, 'Invalid request: content is required'],
    ['blank content', manager.headers, { user_id: user.user.id, content: '  ' }, 400, 'Invalid request: content is required'],
    ['content past 500 characters', manager.headers, { user_id: user.user.id, content: 'x'.repeat(501) }, 400, 'Invalid request: content must NOT have more than 500 characters'],
    ['an unknown property', manager.headers, { user_id: user.user.id, content: 'Hi', watched: true }, 400, 'Invalid request: watched is not allowed'],
    ['an unknown user', manager.headers, { user_id: 9999, content: 'Hi' }, 400, 'user_id does not name a user of your organization'],
    ['a user of another organization', manager.headers, { user_id: other.owner.user.id, content: 'Hi' }, 400, 'user_id does not name a user of your organization'],
    ['an ADMINISTRATOR as recipient', manager.headers, { user_id: admin.user.id, content: 'Hi' }, 400, 'user_id does not name a user of your organization'],
    ['a user outside every organization, by the ADMINISTRATOR', admin.headers, { user_id: admin.user.id, content: 'Hi' }, 400, 'user_id does not name a user of your organization'],
    ['a MENTOR', teacher.headers, { user_id: learner.user.id, content: 'Hi' }, 403, 'Not authorized'],
    ['a MENTEE', learner.headers, { user_id: teacher.user.id, content: 'Hi' }, 403, 'Not authorized'],
    ['a USER', user.headers, { user_id: user.user.id, content: 'Hi' }, 403, 'Not authorized']
  ]
  for (const [name, headers, payload, status, error] of refusals) {
    const refused = await call(app, 'POST', '/api/notifications', { headers, payload })
    t.equal(refused.status, status, name)
    t.equal(refused.body.error, error, name)
  }
  t.same(rowsOf(app, 'notifications'), before)
})

t.test('one notification: the recipient and staff act; others of the organization 403, other organizations 404', async (t) => {
  const app = await buildApp(t)
  const { owner, manager, user, other, admin, teacher, learner } = await world(app)
  const sent = await call(app, 'POST', '/api/notifications', { headers: owner.headers, payload: { user_id: learner.user.id, content: 'Bring your notes' } })
  const url = `/api/notifications/${sent.body.id}`

  for (const [who, headers] of [['the recipient', learner.headers], ['the OWNER', owner.headers], ['a MANAGER', manager.headers], ['the ADMINISTRATOR', admin.headers]] as const) {
    const res = await call(app, 'GET', url, { headers })
    t.equal(res.status, 200, who)
    t.same(res.body, sent.body, who)
  }
  const before = rowsOf(app, 'notifications')
  const outsiders: Array<[string, Record<string, string>, number, string]> = [
    ['the match partner', teacher.headers, 403, 'Not authorized'],
    ['a USER', user.headers, 403, 'Not authorized'],
    ['staff of another organization', other.owner.headers, 404, 'Notification not found']
  ]
  for (const [who, headers, status, error] of outsiders) {
    for (const [method, path, payload] of [['GET', url], ['PUT', url, { watched: true }], ['PATCH', url], ['DELETE', url], ['DELETE', `${url}/remove`]] as const) {
      const res = await call(app, method, path, { headers, payload })
      t.equal(res.status, status, `${method} ${path} by ${who}`)
      t.same(res.body, { error }, `${method} ${path} by ${who}`)
    }
  }
  t.equal((await call(app, 'GET', '/api/notifications/9999', { headers: owner.headers })).status, 404)
  t.equal((await call(app, 'PATCH', '/api/notifications/abc', { headers: owner.headers })).status, 400)

  // PUT: content is staff's, watched is the recipient's; the wrong one is 403.
  const wrong: Array<[string, Record<string, string>, Record<string, unknown>, string]> = [
    ['the recipient edits the content', learner.headers, { content: 'Changed' }, 'Only staff edit the content of a notification'],
    ['staff mark it read', owner.headers, { watched: true }, 'Only the recipient marks a notification read or unread'],
    ['the recipient deletes through PUT', learner.headers, { deleted: true }, 'Only staff delete or restore notifications this way']
  ]
  for (const [name, headers, payload, error] of wrong) {
    const res = await call(app, 'PUT', url, { headers, payload })
    t.equal(res.status, 403, name)
    t.same(res.body, { error }, name)
  }
  const patchedByStaff = await call(app, 'PATCH', url, { headers: owner.headers })
  t.equal(patchedByStaff.status, 403)
  t.same(patchedByStaff.body, { error: 'Only the recipient marks a notification read' })
  t.same(rowsOf(app, 'notifications'), before, 'no refused request changed anything')

  const edited = await call(app, 'PUT', url, { headers: manager.headers, payload: { content: 'Bring your notes and laptop' } })
  t.equal(edited.status, 200)
  t.match(edited.body, { content: 'Bring your notes and laptop', watched: false })
  const read = await call(app, 'PATCH', url, { headers: learner.headers })
  t.equal(read.status, 200)
  t.match(read.body, { id: sent.body.id, watched: true, content: 'Bring your notes and laptop' })
  const unread = await call(app, 'PUT', url, { headers: learner.headers, payload: { watched: false } })
  t.equal(unread.status, 200)
  t.equal(unread.body.watched, false)
  t.equal((await call(app, 'PUT', url, { headers: learner.headers, payload: { watched: 'yes' } })).status, 400)

  const deleted = await call(app, 'DELETE', url, { headers: learner.headers })
  t.equal(deleted.status, 200)
  t.equal(deleted.body.deleted, true)
  t.equal((await call(app, 'GET', url, { headers: learner.headers })).status, 404)
  t.equal((await call(app, 'GET', `${url}?include_deleted=true`, { headers: owner.headers })).status, 200)
  const restored = await call(app, 'PUT', url, { headers: owner.headers, payload: { deleted: false } })
  t.equal(restored.status, 200)
  t.equal(restored.body.deleted, false)

  const staffDeleted = await call(app, 'DELETE', url, { headers: manager.headers })
  t.equal(staffDeleted.status, 200)
  const removed = await call(app, 'DELETE', `${url}/remove`, { headers: owner.headers })
  t.same([removed.status, removed.body], [200, { id: sent.body.id, removed: true }], 'staff erase a soft-deleted one')

  const own = (await call(app, 'GET', '/api/notifications', { headers: learner.headers })).body[0]
  const erased = await call(app, 'DELETE', `/api/notifications/${own.id}/remove`, { headers: learner.headers })
  t.same([erased.status, erased.body], [200, { id: own.id, removed: true }], 'the recipient erases their own')
  t.same((await call(app, 'GET', '/api/notifications', { headers: learner.headers })).body, [])
})
