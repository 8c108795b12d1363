import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setImmediate as nextTurn } from 'node:timers/promises'
import t from 'tap'
import { openDatabase } from '../db/connection'
import { setup } from './fixtures'
import { buildApp, call, createUser, registerOrganization, scopeOf } from './helper'

/**
 * Authentication keeps the signed-in users in memory; every change to a user must still take
 * effect on that user's very next request. Each case signs in first, so the user is kept.
 */

t.test('a role change applies to the next request', async (t) => {
  const { app, owner, manager } = await setup(t)
  t.equal((await call(app, 'GET', '/api/users', { headers: manager.headers })).status, 200, 'staff list the users')
  const demoted = await call(app, 'PUT', `/api/users/${manager.user.id}`, { headers: owner.headers, payload: { role: 'USER' } })
  t.equal(demoted.status, 200)
  t.equal((await call(app, 'GET', '/api/users', { headers: manager.headers })).status, 403, 'a USER no longer does')
})

t.test('a deleted user is refused at once, and a restored one welcome again', async (t) => {
  const { app, owner, mentee } = await setup(t)
  t.equal((await call(app, 'GET', '/api/users/current_user', { headers: mentee.headers })).status, 200)
  t.equal((await call(app, 'DELETE', `/api/users/${mentee.user.id}`, { headers: owner.headers })).status, 200)
  t.equal((await call(app, 'GET', '/api/users/current_user', { headers: mentee.headers })).status, 401, 'deleted')
  const restored = await call(app, 'PUT', `/api/users/${mentee.user.id}`, { headers: owner.headers, payload: { deleted: false } })
  t.equal(restored.status, 200)
  t.equal((await call(app, 'GET', '/api/users/current_user', { headers: mentee.headers })).status, 200, 'restored')
})

t.test('erasing an organization signs its users out: the cascade reaches them', async (t) => {
  const { app, away, stranger, admin } = await setup(t)
  t.equal((await call(app, 'GET', '/api/users/current_user', { headers: stranger.headers })).status, 200)
  t.equal((await call(app, 'DELETE', `/api/organizations/${away.organization.id}/remove`, { headers: admin.headers })).status, 200)
  t.equal((await call(app, 'GET', '/api/users/current_user', { headers: stranger.headers })).status, 401)
})

// From the next turn of the event loop, as a request sent once the command has ended is handled.
t.test('a write of another connection to the same file (a CLI command) applies to the next request', async (t) => {
  const folder = mkdtempSync(join(tmpdir(), 'mentormatchr-signed-in-'))
  t.teardown(() => rmSync(folder, { recursive: true, force: true }))
  const path = join(folder, 'mentormatchr.db')
  const app = await buildApp(t, { DATABASE_PATH: path, JWT_SECRET: 'a-secret-of-at-least-thirty-two-characters' })
  const { organization } = await registerOrganization(app)
  const manager = await createUser(app, organization.id, 'MANAGER')
  t.equal((await call(app, 'GET', '/api/users', { headers: manager.headers })).status, 200)

  const other = openDatabase(path).sqlite
  t.teardown(() => other.close())
  other.prepare("UPDATE users SET role = 'USER' WHERE id = ?").run(manager.user.id)
  await nextTurn()
  t.equal((await call(app, 'GET', '/api/users', { headers: manager.headers })).status, 403, 'the new role')
  other.prepare('UPDATE users SET deleted = 1 WHERE id = ?').run(manager.user.id)
  await nextTurn()
  t.equal((await call(app, 'GET', '/api/users/current_user', { headers: manager.headers })).status, 401, 'the deletion')
})

t.test('a user read inside a transaction that rolls back is not kept', async (t) => {
  const { app, org, manager } = await setup(t)
  const { accounts, tables } = app.domain
  const rollback = new Error('rolled back on purpose')
  t.throws(() => app.db.transaction(() => {
    tables.users.update(scopeOf(org), manager.user.id, { role: 'USER' })
    t.equal(accounts.activeUser(manager.user.id)?.role, 'USER', 'the transaction sees its own write')
    throw rollback
  }), rollback)
  t.equal(accounts.activeUser(manager.user.id)?.role, 'MANAGER', 'after the rollback, the stored role')
})
