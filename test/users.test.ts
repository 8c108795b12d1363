import t from 'tap'
import { PASSWORD, buildApp, call, createOrganization, createUser, rowsOf } from './helper'

async function setup (t: Parameters<typeof buildApp>[0]) {
  const app = await buildApp(t)
  const owner = await createOrganization(app)
  const org = owner.organization.id
  const manager = await createUser(app, org, 'MANAGER')
  const mentor = await createUser(app, org, 'MENTOR', { first_name: 'Linus', last_name: 'Torvalds' })
  const mentee = await createUser(app, org, 'MENTEE', { first_name: 'Margaret', last_name: 'Hamilton' })
  const other = await createOrganization(app)
  const admin = await createUser(app, null, 'ADMINISTRATOR')
  return { app, owner, manager, mentor, mentee, other, admin, org }
}

t.test('GET /api/users', async (t) => {
  const { app, owner, manager, mentee, other, admin } = await setup(t)

  t.test('staff list their organization only, newest first, with X-Total-Count', async (t) => {
    const res = await call(app, 'GET', '/api/users', { headers: manager.headers })
    t.equal(res.status, 200)
    t.equal(res.headers['x-total-count'], '4')
    t.same(res.body.map((u: { role: string }) => u.role), ['MENTEE', 'MENTOR', 'MANAGER', 'OWNER'])
    t.notOk(res.body.some((u: { organization_id: number }) => u.organization_id === other.organization.id))
  })

  t.test('limit and offset page; the total stays', async (t) => {
    const res = await call(app, 'GET', '/api/users?limit=2&offset=1', { headers: owner.headers })
    t.equal(res.headers['x-total-count'], '4')
    t.same(res.body.map((u: { role: string }) => u.role), ['MENTOR', 'MANAGER'])
  })

  t.test('?role= and ?q= filter (q matches first name, last name, full name or email)', async (t) => {
    const byRole = await call(app, 'GET', '/api/users?role=MENTEE', { headers: owner.headers })
    t.same(byRole.body.map((u: { id: number }) => u.id), [mentee.user.id])
    t.equal(byRole.headers['x-total-count'], '1')
    for (const q of ['marg', 'HAMILTON', 'Margaret Ham', mentee.user.email.slice(0, 10)]) {
      const res = await call(app, 'GET', '/api/users', { headers: owner.headers, query: { q } })
      t.same(res.body.map((u: { id: number }) => u.id), [mentee.user.id], `q=${q}`)
    }
    const wildcard = await call(app, 'GET', '/api/users?q=%25', { headers: owner.headers })
    t.same(wildcard.body, [], '% is taken literally')
  })

  t.test('bad query values: 400', async (t) => {
    for (const query of ['limit=0', 'limit=201', 'offset=-1', 'role=KING', 'limit=abc']) {
      const res = await call(app, 'GET', `/api/users?${query}`, { headers: owner.headers })
      t.equal(res.status, 400, query)
      t.match(res.body.error, /in the querystring/)
    }
  })

  t.test('mentors and mentees may not list users: 403', async (t) => {
    const res = await call(app, 'GET', '/api/users', { headers: mentee.headers })
    t.equal(res.status, 403)
    t.same(res.body, { error: 'Not authorized' })
  })

  t.test('the ADMINISTRATOR lists every organization, or one', async (t) => {
    const all = await call(app, 'GET', '/api/users', { headers: admin.headers })
    t.equal(all.headers['x-total-count'], '6')
    const one = await call(app, 'GET', `/api/users?organization_id=${other.organization.id}`, { headers: admin.headers })
    t.same(one.body.map((u: { id: number }) => u.id), [other.user.id])
  })
})

t.test('GET /api/users/:id and current_user', async (t) => {
  const { app, owner, mentee, other, admin } = await setup(t)

  t.test('anyone reads a user of their organization: staff and the user the whole record, others the public view', async (t) => {
    const res = await call(app, 'GET', `/api/users/${owner.user.id}`, { headers: mentee.headers })
    t.equal(res.status, 200)
    t.same(Object.keys(res.body).sort(), ['avatar_url', 'first_name', 'id', 'last_name', 'role'])
    t.equal((await call(app, 'GET', `/api/users/${mentee.user.id}`, { headers: mentee.headers })).body.email, mentee.user.email)
    t.equal((await call(app, 'GET', `/api/users/${mentee.user.id}`, { headers: owner.headers })).body.email, mentee.user.email)
  })

  t.test('a user of another organization: 404, as if absent', async (t) => {
    const res = await call(app, 'GET', `/api/users/${other.user.id}`, { headers: owner.headers })
    t.equal(res.status, 404)
    t.same(res.body, { error: 'User not found' })
    t.same((await call(app, 'GET', '/api/users/999999', { headers: owner.headers })).body, { error: 'User not found' })
  })

  t.test('the ADMINISTRATOR reads anyone', async (t) => {
    t.equal((await call(app, 'GET', `/api/users/${other.user.id}`, { headers: admin.headers })).status, 200)
  })

  t.test('malformed ids: 400', async (t) => {
    for (const id of ['abc', '0', '-1', '1.5']) {
      const res = await call(app, 'GET', `/api/users/${id}`, { headers: owner.headers })
      t.equal(res.status, 400, id)
      t.same(res.body.details.map((d: { field: string }) => d.field), ['id'])
    }
  })

  t.test('current_user answers the caller, never a password', async (t) => {
    const res = await call(app, 'GET', '/api/users/current_user', { headers: mentee.headers })
    t.equal(res.body.id, mentee.user.id)
    t.same(Object.keys(res.body).sort(), ['avatar_url', 'city', 'country', 'created_at', 'deleted', 'email', 'email_notifications',
      'first_name', 'github_login', 'id', 'last_name', 'organization_id', 'role', 'state', 'street', 'updated_at', 'zipcode'])
  })
})

t.test('PUT /api/users/:id', async (t) => {
  const { app, owner, manager, mentor, mentee, other, admin, org } = await setup(t)
  const put = (id: number, headers: Record<string, string>, payload: object) => call(app, 'PUT', `/api/users/${id}`, { headers, payload })
  const unchanged = async (t: Parameters<typeof buildApp>[0], action: () => Promise<{ status: number, body: any }>, status: number, error: RegExp | string) => {
    const before = rowsOf(app, 'users')
    const res = await action()
    t.equal(res.status, status)
    t.match(res.body.error, error)
    t.same(rowsOf(app, 'users'), before, 'nothing written')
  }

  t.test('users edit their own details; absent fields stay', async (t) => {
    const res = await put(mentee.user.id, mentee.headers, { city: '  Lisbon ', avatar_url: 'https://example.com/me.png', first_name: null })
    t.equal(res.status, 200)
    t.match(res.body, { city: 'Lisbon', avatar_url: 'https://example.com/me.png', first_name: null, last_name: 'Hamilton' })
    t.ok(res.body.updated_at >= res.body.created_at)
  })

  t.test("someone else's details: 403 unless staff", async (t) => {
    await unchanged(t, () => put(owner.user.id, mentee.headers, { city: 'Nowhere' }), 403, 'Not authorized')
    const res = await put(mentee.user.id, manager.headers, { city: 'Porto' })
    t.equal(res.status, 200)
    t.equal(res.body.city, 'Porto')
  })

  t.test('another organization: 404', async (t) => {
    await unchanged(t, () => put(other.user.id, owner.headers, { city: 'X' }), 404, 'User not found')
  })

  t.test('unknown properties and wrong types: 400', async (t) => {
    await unchanged(t, () => put(mentee.user.id, mentee.headers, { city: 'X', password_hash: 'x' }), 400, 'password_hash is not allowed')
    await unchanged(t, () => put(mentee.user.id, mentee.headers, { zipcode: 12345 }), 400, 'zipcode must be string or null')
    await unchanged(t, () => put(mentee.user.id, mentee.headers, { email: 'nope' }), 400, /email/)
  })

  t.test('an email already taken: 409', async (t) => {
    await unchanged(t, () => put(mentee.user.id, mentee.headers, { email: owner.user.email.toUpperCase(), current_password: PASSWORD }), 409,
      'A user with this email already exists')
  })

  t.test('the password changes with the current one, and only by its owner', async (t) => {
    await unchanged(t, () => put(mentee.user.id, mentee.headers, { password: 'a new password' }), 400, /current_password is required/)
    await unchanged(t, () => put(mentee.user.id, mentee.headers, { password: 'a new password', current_password: 'wrong one' }), 403, /current_password is wrong/)
    await unchanged(t, () => put(mentee.user.id, owner.headers, { password: 'a new password', current_password: PASSWORD }), 403, /Only the user themself/)
    await unchanged(t, () => put(mentee.user.id, mentee.headers, { current_password: PASSWORD }), 400, /goes with a new password/)
    await unchanged(t, () => put(mentee.user.id, mentee.headers, { password: 'short', current_password: PASSWORD }), 400, /password/)
    const res = await put(mentee.user.id, mentee.headers, { password: 'a new password', current_password: PASSWORD })
    t.equal(res.status, 200)
    const login = (password: string) => call(app, 'POST', '/api/auth/login', { payload: { email: mentee.user.email, password } })
    t.equal((await login('a new password')).status, 200)
    t.equal((await login(PASSWORD)).status, 401)
  })

  t.test('nobody changes their own role', async (t) => {
    await unchanged(t, () => put(owner.user.id, owner.headers, { role: 'MANAGER' }), 403, 'Nobody changes their own role')
    await unchanged(t, () => put(mentee.user.id, mentee.headers, { role: 'OWNER' }), 403, 'Nobody changes their own role')
    t.equal((await put(owner.user.id, owner.headers, { role: 'OWNER', city: 'Same role is fine' })).status, 200)
  })

  t.test('staff set roles within their rights', async (t) => {
    await unchanged(t, () => put(mentor.user.id, mentee.headers, { role: 'MENTEE' }), 403, 'Not authorized')
    await unchanged(t, () => put(mentor.user.id, manager.headers, { role: 'OWNER' }), 403, /Only an OWNER/)
    await unchanged(t, () => put(owner.user.id, manager.headers, { role: 'MENTOR' }), 403, /MANAGER cannot act on an OWNER/)
    await unchanged(t, () => put(mentor.user.id, owner.headers, { role: 'ADMINISTRATOR' }), 403, /Only an ADMINISTRATOR/)
    const res = await put(mentor.user.id, manager.headers, { role: 'MANAGER' })
    t.equal(res.status, 200)
    t.equal(res.body.role, 'MANAGER')
    t.equal((await put(mentor.user.id, owner.headers, { role: 'MENTOR' })).body.role, 'MENTOR')
  })

  t.test('the last OWNER cannot be demoted: 409; with a second OWNER it works', async (t) => {
    const coOwner = await createUser(app, org, 'MANAGER')
    await unchanged(t, () => put(owner.user.id, admin.headers, { role: 'MANAGER' }), 409, /at least one OWNER/)
    t.equal((await put(coOwner.user.id, owner.headers, { role: 'OWNER' })).body.role, 'OWNER')
    t.equal((await put(owner.user.id, coOwner.headers, { role: 'MANAGER' })).body.role, 'MANAGER')
    t.equal((await put(owner.user.id, coOwner.headers, { role: 'OWNER' })).body.role, 'OWNER')
  })

  t.test('only staff delete or restore through PUT', async (t) => {
    await unchanged(t, () => put(mentee.user.id, mentee.headers, { deleted: true }), 403, /Only staff/)
  })
})

t.test('a change that waits on the password work is checked again against what was written meanwhile', async (t) => {
  const { app, owner, mentee } = await setup(t)
  const put = (headers: Record<string, string>, payload: object) => call(app, 'PUT', `/api/users/${mentee.user.id}`, { headers, payload })
  const passwordOf = () => (rowsOf(app, 'users') as Array<{ id: number, password_hash: string }>).find((row) => row.id === mentee.user.id)!.password_hash

  // Both prove the same current password while scrypt runs; the second to write finds it replaced.
  const both = await Promise.all(['first new passphrase', 'second new passphrase'].map((password) =>
    put(mentee.headers, { password, current_password: PASSWORD })))
  t.same(both.map((res) => res.status).sort(), [200, 403])
  const refused = both.find((res) => res.status === 403)!
  t.match(refused.body.error, /current_password is wrong/)
  const winner = both.indexOf(both.find((res) => res.status === 200)!) === 0 ? 'first new passphrase' : 'second new passphrase'
  const login = await call(app, 'POST', '/api/auth/login', { payload: { email: mentee.user.email, password: winner } })
  t.equal(login.status, 200, 'the password that was written is the one that signs in')
  const hash = passwordOf()

  // Deleted by staff while their new password was being hashed: nothing is written to a deleted user.
  const [changed, deleted] = await Promise.all([
    put(mentee.headers, { password: 'a third new passphrase', current_password: winner }),
    call(app, 'DELETE', `/api/users/${mentee.user.id}`, { headers: owner.headers })
  ])
  t.equal(deleted.status, 200)
  t.equal(changed.status, 404)
  t.equal(passwordOf(), hash, 'the deleted user keeps the password they had')
})

t.test('DELETE /api/users/:id, restore, and /remove', async (t) => {
  const { app, owner, manager, mentor, mentee, other, org } = await setup(t)
  const users = () => rowsOf(app, 'users')

  t.test('a mentee deleting someone else: 403, nothing written', async (t) => {
    const before = users()
    const res = await call(app, 'DELETE', `/api/users/${mentor.user.id}`, { headers: mentee.headers })
    t.equal(res.status, 403)
    t.same(users(), before)
  })

  t.test('another organization: 404', async (t) => {
    const before = users()
    t.equal((await call(app, 'DELETE', `/api/users/${other.user.id}`, { headers: owner.headers })).status, 404)
    t.equal((await call(app, 'DELETE', `/api/users/${other.user.id}/remove`, { headers: owner.headers })).status, 404)
    t.same(users(), before)
  })

  t.test('the last OWNER cannot be deleted or removed: 409', async (t) => {
    const before = users()
    const soft = await call(app, 'DELETE', `/api/users/${owner.user.id}`, { headers: owner.headers })
    t.equal(soft.status, 409)
    t.match(soft.body.error, /at least one OWNER/)
    t.equal((await call(app, 'DELETE', `/api/users/${owner.user.id}/remove`, { headers: owner.headers })).status, 409)
    t.same(users(), before)
  })

  t.test('soft delete hides the user; staff see it with include_deleted and restore it', async (t) => {
    const res = await call(app, 'DELETE', `/api/users/${mentee.user.id}`, { headers: manager.headers })
    t.equal(res.status, 200)
    t.equal(res.body.deleted, true)
    t.equal((await call(app, 'GET', `/api/users/${mentee.user.id}`, { headers: owner.headers })).status, 404)
    t.equal((await call(app, 'DELETE', `/api/users/${mentee.user.id}`, { headers: owner.headers })).status, 404, 'already deleted')
    const listed = await call(app, 'GET', '/api/users', { headers: owner.headers })
    t.notOk(listed.body.some((u: { id: number }) => u.id === mentee.user.id))
    const shown = await call(app, 'GET', '/api/users?include_deleted=true', { headers: owner.headers })
    t.ok(shown.body.some((u: { id: number }) => u.id === mentee.user.id))
    t.equal((await call(app, 'GET', `/api/users/${mentee.user.id}?include_deleted=true`, { headers: owner.headers })).body.deleted, true)
    t.equal((await call(app, 'GET', `/api/users/${mentee.user.id}?include_deleted=true`, { headers: mentor.headers })).status, 404,
      'include_deleted is for staff only')
    const restored = await call(app, 'PUT', `/api/users/${mentee.user.id}`, { headers: owner.headers, payload: { deleted: false } })
    t.equal(restored.status, 200)
    t.equal(restored.body.deleted, false)
    t.equal((await call(app, 'GET', '/api/users/current_user', { headers: mentee.headers })).status, 200, 'their token works again')
  })

  t.test('users delete themselves', async (t) => {
    const leaving = await createUser(app, org, 'MENTEE')
    t.equal((await call(app, 'DELETE', `/api/users/${leaving.user.id}`, { headers: leaving.headers })).status, 200)
    t.equal((await call(app, 'GET', '/api/users/current_user', { headers: leaving.headers })).status, 401)
  })

  t.test('/remove: OWNER only, erases for good', async (t) => {
    const before = users()
    t.equal((await call(app, 'DELETE', `/api/users/${mentor.user.id}/remove`, { headers: manager.headers })).status, 403)
    t.same(users(), before)
    const res = await call(app, 'DELETE', `/api/users/${mentor.user.id}/remove`, { headers: owner.headers })
    t.equal(res.status, 200)
    t.same(res.body, { id: mentor.user.id, removed: true })
    t.notOk(users().some((u: any) => u.id === mentor.user.id))
    t.equal((await call(app, 'DELETE', `/api/users/${mentor.user.id}/remove`, { headers: owner.headers })).status, 404)
  })
})
