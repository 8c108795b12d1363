import t from 'tap'
import { call, rowsOf } from '../helper'
import { create, ids, setup } from '../fixtures'

/**
 * What mentors, mentees and experiences share: who reaches a record, duplicates, foreign users,
 * soft delete, restore, erase and lists. Each case is run on all three.
 */
const resources = [
  { path: '/api/mentors', table: 'mentors', noun: 'Mentor', body: { bio: 'Backend engineer' }, edit: { bio: 'Changed' }, duplicate: /already has a mentor profile/ },
  { path: '/api/mentees', table: 'mentees', noun: 'Mentee', body: { lambda_week: 3 }, edit: { interests: 'Changed' }, duplicate: /already has a mentee profile/ },
  { path: '/api/experiences', table: 'experiences', noun: 'Experience', body: { name: 'TypeScript' }, edit: { name: 'Changed' }, duplicate: /already has an experience named "TypeScript"/ }
]

for (const resource of resources) {
  const { path, table, noun, body, edit } = resource

  t.test(`${path}: another organization's records answer 404, as if absent`, async (t) => {
    const world = await setup(t)
    const { app, owner, mentor, stranger } = world
    const home = await create(t, world, path, mentor, body)
    const away = await create(t, world, path, stranger, body)
    const before = rowsOf(app, table)
    const notFound = { error: `${noun} not found` }

    for (const [method, url, payload] of [
      ['GET', `${path}/${away.id}`, undefined],
      ['PUT', `${path}/${away.id}`, edit],
      ['DELETE', `${path}/${away.id}`, undefined],
      ['DELETE', `${path}/${away.id}/remove`, undefined]
    ] as const) {
      const res = await call(app, method, url, { headers: owner.headers, payload })
      t.equal(res.status, 404, `${method} ${url} by the other organization's OWNER`)
      t.same(res.body, notFound)
    }
    const fromAway = await call(app, 'PUT', `${path}/${home.id}`, { headers: stranger.headers, payload: edit })
    t.equal(fromAway.status, 404)
    t.same(fromAway.body, notFound)
    const list = await call(app, 'GET', path, { headers: owner.headers })
    t.same(ids(list.body), [home.id], 'lists hold the own organization only')
    t.same(rowsOf(app, table), before, 'nothing changed')
  })

  t.test(`${path}: only the record's user or staff change it`, async (t) => {
    const world = await setup(t)
    const { app, manager, mentor, mentee } = world
    const record = await create(t, world, path, mentor, body)
    const before = rowsOf(app, table)

    for (const [method, url, payload] of [
      ['PUT', `${path}/${record.id}`, edit],
      ['DELETE', `${path}/${record.id}`, undefined],
      ['DELETE', `${path}/${record.id}/remove`, undefined]
    ] as const) {
      const res = await call(app, method, url, { headers: mentee.headers, payload })
      t.equal(res.status, 403, `${method} ${url} by a MENTEE`)
      t.same(res.body, { error: 'Not authorized' })
    }
    const ownRemove = await call(app, 'DELETE', `${path}/${record.id}/remove`, { headers: mentor.headers })
    t.equal(ownRemove.status, 403, 'erasing is for staff, even of an own record')
    t.same(ownRemove.body, { error: 'Not authorized' })
    t.same(rowsOf(app, table), before, 'nothing changed')

    const read = await call(app, 'GET', `${path}/${record.id}`, { headers: mentee.headers })
    t.equal(read.status, 200, 'but everyone of the organization reads it')
    const byUser = await call(app, 'PUT', `${path}/${record.id}`, { headers: mentor.headers, payload: edit })
    t.equal(byUser.status, 200)
    t.match(byUser.body, edit)
    const byStaff = await call(app, 'PUT', `${path}/${record.id}`, { headers: manager.headers, payload: body })
    t.equal(byStaff.status, 200)
    t.match(byStaff.body, body)
  })

  t.test(`${path}: a second one of the same user answers 409`, async (t) => {
    const world = await setup(t)
    const { app, manager, mentor } = world
    await create(t, world, path, mentor, body)
    const before = rowsOf(app, table)
    const again = await call(app, 'POST', path, { headers: mentor.headers, payload: body })
    t.equal(again.status, 409)
    t.match(again.body.error, resource.duplicate)
    const byStaff = await call(app, 'POST', path, { headers: manager.headers, payload: { ...body, user_id: mentor.user.id } })
    t.equal(byStaff.status, 409)
    t.match(byStaff.body.error, resource.duplicate)
    t.same(rowsOf(app, table), before)
  })

  t.test(`${path}: user_id names a user of the organization, and only staff name another`, async (t) => {
    const world = await setup(t)
    const { app, manager, mentor, mentee, stranger } = world
    for (const userId of [stranger.user.id, 99999]) {
      const res = await call(app, 'POST', path, { headers: manager.headers, payload: { ...body, user_id: userId } })
      t.equal(res.status, 400, `user ${userId}`)
      t.same(res.body, { error: `user_id: there is no user ${userId} in your organization` })
    }
    const notStaff = await call(app, 'POST', path, { headers: mentee.headers, payload: { ...body, user_id: mentor.user.id } })
    t.equal(notStaff.status, 403)
    t.same(notStaff.body, { error: 'Only staff create records for another user' })
    t.same(rowsOf(app, table), [])

    const self = await call(app, 'POST', path, { headers: mentee.headers, payload: { ...body, user_id: mentee.user.id } })
    t.equal(self.status, 201, 'naming oneself is the same as naming nobody')
    t.equal(self.body.user_id, mentee.user.id)
    const forMentor = await call(app, 'POST', path, { headers: manager.headers, payload: { ...body, user_id: mentor.user.id } })
    t.equal(forMentor.status, 201)
    t.equal(forMentor.body.user_id, mentor.user.id)
  })

  t.test(`${path}: soft delete, include_deleted for staff, restore, erase`, async (t) => {
    const world = await setup(t)
    const { app, owner, manager, mentor, mentee } = world
    const record = await create(t, world, path, mentor, body)
    const kept = await create(t, world, path, mentee, body)

    const deleted = await call(app, 'DELETE', `${path}/${record.id}`, { headers: mentor.headers })
    t.equal(deleted.status, 200)
    t.equal(deleted.body.deleted, true)
    t.equal(deleted.body.id, record.id)
    t.equal((rowsOf(app, table) as Array<{ id: number, deleted: number }>).find((row) => row.id === record.id)?.deleted, 1)

    const read = await call(app, 'GET', `${path}/${record.id}`, { headers: manager.headers })
    t.equal(read.status, 404, 'a deleted record reads as absent')
    t.same(read.body, { error: `${noun} not found` })
    const again = await call(app, 'DELETE', `${path}/${record.id}`, { headers: mentor.headers })
    t.equal(again.status, 404, 'and cannot be deleted twice')
    const list = await call(app, 'GET', path, { headers: manager.headers })
    t.same(ids(list.body), [kept.id])
    t.equal(list.headers['x-total-count'], '1')

    const staffList = await call(app, 'GET', `${path}?include_deleted=true`, { headers: manager.headers })
    t.same(ids(staffList.body), [kept.id, record.id], 'staff see it when they ask')
    t.equal(staffList.headers['x-total-count'], '2')
    const userList = await call(app, 'GET', `${path}?include_deleted=true`, { headers: mentee.headers })
    t.same(ids(userList.body), [kept.id], 'others do not, even when they ask')
    const staffRead = await call(app, 'GET', `${path}/${record.id}?include_deleted=true`, { headers: owner.headers })
    t.equal(staffRead.status, 200)
    t.equal(staffRead.body.deleted, true)
    const userRead = await call(app, 'GET', `${path}/${record.id}?include_deleted=true`, { headers: mentor.headers })
    t.equal(userRead.status, 404)

    const before = rowsOf(app, table)
    const userRestore = await call(app, 'PUT', `${path}/${record.id}`, { headers: mentor.headers, payload: { deleted: false } })
    t.equal(userRestore.status, 404, 'only staff reach a deleted record to restore it')
    t.same(rowsOf(app, table), before)
    const restored = await call(app, 'PUT', `${path}/${record.id}`, { headers: manager.headers, payload: { deleted: false } })
    t.equal(restored.status, 200)
    t.equal(restored.body.deleted, false)
    const back = await call(app, 'GET', `${path}/${record.id}`, { headers: mentee.headers })
    t.equal(back.status, 200)

    const removed = await call(app, 'DELETE', `${path}/${record.id}/remove`, { headers: manager.headers })
    t.equal(removed.status, 200)
    t.same(removed.body, { id: record.id, removed: true })
    t.same(ids(rowsOf(app, table) as Array<{ id: number }>), [kept.id], 'erased from the table')
    const gone = await call(app, 'GET', `${path}/${record.id}?include_deleted=true`, { headers: manager.headers })
    t.equal(gone.status, 404)
    const twice = await call(app, 'DELETE', `${path}/${record.id}/remove`, { headers: manager.headers })
    t.equal(twice.status, 404)

    await call(app, 'DELETE', `${path}/${kept.id}`, { headers: mentee.headers })
    const removedDeleted = await call(app, 'DELETE', `${path}/${kept.id}/remove`, { headers: owner.headers })
    t.same(removedDeleted.body, { id: kept.id, removed: true }, 'staff erase a soft-deleted record too')
    t.same(rowsOf(app, table), [])
  })

  t.test(`${path}: PUT {"deleted": true} deletes like DELETE, for the same people`, async (t) => {
    const world = await setup(t)
    const { app, mentor, mentee } = world
    const record = await create(t, world, path, mentor, body)
    const before = rowsOf(app, table)
    const foreign = await call(app, 'PUT', `${path}/${record.id}`, { headers: mentee.headers, payload: { deleted: true } })
    t.equal(foreign.status, 403)
    t.same(foreign.body, { error: 'Not authorized' })
    t.same(rowsOf(app, table), before)
    const own = await call(app, 'PUT', `${path}/${record.id}`, { headers: mentor.headers, payload: { deleted: true } })
    t.equal(own.status, 200)
    t.equal(own.body.deleted, true)
    const read = await call(app, 'GET', `${path}/${record.id}`, { headers: mentor.headers })
    t.equal(read.status, 404)
  })

  t.test(`${path}: lists page newest first with X-Total-Count and filter by user_id`, async (t) => {
    const world = await setup(t)
    const { app, owner, manager, applicant, mentor, mentee, away, stranger } = world
    const first = await create(t, world, path, applicant, body)
    const second = await create(t, world, path, mentor, body)
    const third = await create(t, world, path, mentee, body)
    await create(t, world, path, stranger, body)

    const all = await call(app, 'GET', path, { headers: mentee.headers })
    t.equal(all.status, 200)
    t.same(ids(all.body), [third.id, second.id, first.id])
    t.equal(all.headers['x-total-count'], '3')
    const page = await call(app, 'GET', `${path}?limit=1&offset=1`, { headers: owner.headers })
    t.same(ids(page.body), [second.id])
    t.equal(page.headers['x-total-count'], '3')
    const byUser = await call(app, 'GET', `${path}?user_id=${mentor.user.id}`, { headers: manager.headers })
    t.same(ids(byUser.body), [second.id])
    t.equal(byUser.headers['x-total-count'], '1')
    const foreignUser = await call(app, 'GET', `${path}?user_id=${stranger.user.id}`, { headers: manager.headers })
    t.same(foreignUser.body, [])
    t.equal(foreignUser.headers['x-total-count'], '0')
    const awayList = await call(app, 'GET', path, { headers: away.headers })
    t.equal(awayList.headers['x-total-count'], '1')

    for (const query of ['limit=0', 'limit=201', 'offset=-1', 'user_id=abc', 'user_id=0']) {
      const res = await call(app, 'GET', `${path}?${query}`, { headers: owner.headers })
      t.equal(res.status, 400, query)
      t.match(res.body.error, /^Invalid request in the querystring: /)
    }
    const badId = await call(app, 'GET', `${path}/abc`, { headers: owner.headers })
    t.equal(badId.status, 400)
    t.match(badId.body.error, /in the params/)
    const noToken = await call(app, 'GET', path)
    t.equal(noToken.status, 401)
    t.same(noToken.body, { error: 'No token provided!' })
  })

  t.test(`${path}: the ADMINISTRATOR acts in the organization of the record's user`, async (t) => {
    const world = await setup(t)
    const { app, admin, away, stranger } = world
    const none = await call(app, 'POST', path, { headers: admin.headers, payload: body })
    t.equal(none.status, 400)
    t.same(none.body, { error: 'user_id is required: an ADMINISTRATOR belongs to no organization, so name the user' })
    t.same(rowsOf(app, table), [])

    const made = await call(app, 'POST', path, { headers: admin.headers, payload: { ...body, user_id: stranger.user.id } })
    t.equal(made.status, 201)
    t.equal(made.body.user_id, stranger.user.id)
    t.same((rowsOf(app, table) as Array<{ organization_id: number }>).map((row) => row.organization_id), [away.organization.id])
    const edited = await call(app, 'PUT', `${path}/${made.body.id}`, { headers: admin.headers, payload: edit })
    t.equal(edited.status, 200)
    t.match(edited.body, edit)
    const seen = await call(app, 'GET', `${path}/${made.body.id}`, { headers: away.headers })
    t.equal(seen.status, 200, "the record's organization sees it")
  })
}
