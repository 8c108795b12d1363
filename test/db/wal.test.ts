import { statSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { temporaryFolder } from '../cli/process'
import { buildApp, createUser, registerOrganization, scopeOf } from '../helper'

/**
 * Sustained writes through the tables keep the WAL small: SQLite restarts it after each checkpoint,
 * which it cannot do while a statement is left unfinished (a RETURNING read with get()).
 */
t.test('the WAL stays bounded under sustained writes', async (t) => {
  const folder = temporaryFolder(t, 'wal')
  const path = join(folder, 'mentormatchr.db')
  const app = await buildApp(t, { DATABASE_PATH: path, JWT_SECRET: 'a-secret-of-at-least-thirty-two-characters' })
  const { organization } = await registerOrganization(app)
  const { user } = await createUser(app, organization.id, 'MENTEE')
  const { notifications } = app.domain.tables
  for (let i = 0; i < 2000; i++) {
    const notice = notifications.insert(scopeOf(organization.id), { user_id: user.id, content: `Notice ${i} ${'x'.repeat(200)}` })
    notifications.update(scopeOf(organization.id), notice.id, { watched: true })
  }
  const megabytes = statSync(`${path}-wal`).size / 1024 / 1024
  t.ok(megabytes < 16, `${megabytes.toFixed(1)} MB of WAL after 4,000 writes`)
})
