import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { drizzle } from 'drizzle-orm/better-sqlite3'
import { migrate } from 'drizzle-orm/better-sqlite3/migrator'
import t, { type Test } from 'tap'
import { MIGRATIONS_FOLDER, openDatabase } from '../db/connection'
import { tokenHash } from '../db/tokens'
import { buildApp, call, PASSWORD, rowsOf } from './helper'
import { run, SOURCE, temporaryFolder } from './cli/process'

interface Journal { entries: Array<{ tag: string }> }

const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8')) as Journal

/** A copy of the migrations folder that knows only the first `count` migrations. */
function firstMigrations (t: Test, count: number): string {
  const folder = mkdtempSync(join(tmpdir(), 'mentormatchr-migrations-'))
  t.teardown(() => rmSync(folder, { recursive: true, force: true }))
  cpSync(MIGRATIONS_FOLDER, folder, { recursive: true })
  writeFileSync(join(folder, 'meta', '_journal.json'), JSON.stringify({ ...journal, entries: journal.entries.slice(0, count) }))
  return folder
}

const tables = (sqlite: Database.Database) =>
  (sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as Array<{ name: string }>)
    .map((row) => row.name)

t.test('all migrations apply to an empty database, and again as a no-op', async (t) => {
  const { sqlite, db } = openDatabase(':memory:')
  t.teardown(() => sqlite.close())
  t.same(tables(sqlite), ['__drizzle_migrations', 'experiences', 'invitations', 'job_records', 'matches', 'meetings',
    'mentees', 'mentors', 'notifications', 'organizations', 'requests', 'users'])
  t.equal((sqlite.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get() as { n: number }).n, journal.entries.length)
  migrate(db, { migrationsFolder: MIGRATIONS_FOLDER })
  t.equal((sqlite.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get() as { n: number }).n, journal.entries.length)
  t.same(sqlite.pragma('foreign_key_check'), [])
})

t.test('a database holding rows keeps every row through the later migrations', async (t) => {
  const directory = mkdtempSync(join(tmpdir(), 'mentormatchr-db-'))
  t.teardown(() => rmSync(directory, { recursive: true, force: true }))
  const path = join(directory, 'old.db')

  const old = new Database(path)
  old.pragma('foreign_keys = ON')
  migrate(drizzle({ client: old }), { migrationsFolder: firstMigrations(t, 1) })
  t.same(tables(old), ['__drizzle_migrations', 'organizations', 'users'])
  const now = new Date().toISOString()
  const insertOrganization = old.prepare('INSERT INTO organizations (name, created_at, updated_at) VALUES (?, ?, ?)')
  const insertUser = old.prepare(`INSERT INTO users (organization_id, email, password_hash, role, created_at, updated_at)
    VALUES (?, ?, 'scrypt$x', ?, ?, ?)`)
  for (let org = 1; org <= 3; org++) {
    insertOrganization.run(`Org ${org}`, now, now)
    for (const role of ['OWNER', 'MANAGER', 'MENTOR', 'MENTEE']) insertUser.run(org, `${role}.${org}@example.com`, role, now, now)
  }
  // The columns the first migration made; later ones may add more.
  const columnsOf = (table: string) => (old.pragma(`table_info(${table})`) as Array<{ name: string }>).map((column) => column.name).join(', ')
  const organizationColumns = columnsOf('organizations')
  const userColumns = columnsOf('users')
  const snapshot = (sqlite: Database.Database) => ({
    organizations: sqlite.prepare(`SELECT ${organizationColumns} FROM organizations ORDER BY id`).all(),
    users: sqlite.prepare(`SELECT ${userColumns} FROM users ORDER BY id`).all()
  })
  const before = snapshot(old)
  old.close()

  const { sqlite } = openDatabase(path)
  t.teardown(() => sqlite.close())
  t.same(snapshot(sqlite), before, 'every organization and user is still there, unchanged')
  t.equal(before.users.length, 12)
  t.ok(tables(sqlite).includes('matches'), 'the later tables exist')
  t.same(sqlite.pragma('foreign_key_check'), [])
  t.equal(sqlite.pragma('journal_mode', { simple: true }), 'wal')
  t.equal(sqlite.pragma('foreign_keys', { simple: true }), 1)
})

t.test('no migration drops a table that another references (a rebuild would cascade-delete its rows)', async (t) => {
  const { sqlite } = openDatabase(':memory:')
  t.teardown(() => sqlite.close())
  const referenced = new Set(tables(sqlite).flatMap((table) =>
    (sqlite.pragma(`foreign_key_list(${table})`) as Array<{ table: string }>).map((key) => key.table)))
  for (const { tag } of journal.entries) {
    const sql = readFileSync(join(MIGRATIONS_FOLDER, `${tag}.sql`), 'utf8')
    for (const [, table] of sql.matchAll(/DROP TABLE `?(\w+)`?/gi)) {
      t.notOk(referenced.has(table!), `${tag} drops ${table}, which no table references`)
    }
  }
})

t.test('migration 0002: a pending invitation of the old kind keeps working, its old id now its token', async (t) => {
  const directory = mkdtempSync(join(tmpdir(), 'mentormatchr-db-'))
  t.teardown(() => rmSync(directory, { recursive: true, force: true }))
  const path = join(directory, 'old.db')
  const old = new Database(path)
  old.pragma('foreign_keys = ON')
  migrate(drizzle({ client: old }), { migrationsFolder: firstMigrations(t, 2) })
  const now = new Date().toISOString()
  const later = new Date(Date.now() + 86_400_000).toISOString()
  old.prepare('INSERT INTO organizations (name, created_at, updated_at) VALUES (?, ?, ?)').run('Old Org', now, now)
  const oldToken = 'q7Rz0v1X9kLmN2pQ4sT6uW8yA1bC3dE5fG7hJ9kL0mN'
  const insert = old.prepare(`INSERT INTO invitations (id, organization_id, email, role, status, expires_at, created_at, updated_at)
    VALUES (?, 1, ?, 'MENTOR', ?, ?, ?, ?)`)
  const earlier = new Date(Date.now() - 86_400_000).toISOString()
  insert.run(oldToken, 'pending@example.com', 'PENDING', later, earlier, earlier)
  insert.run('accepted-long-ago-token-aaaaaaaaaaaaaaaaaaaa', 'done@example.com', 'ACCEPTED', later, now, now)
  old.close()

  const app = await buildApp(t, { DATABASE_PATH: path })
  const rows = rowsOf(app, 'invitations') as Array<Record<string, unknown>>
  t.same(rows.map((row) => [row.id, row.email, row.status, row.token_hash]),
    [[1, 'pending@example.com', 'PENDING', tokenHash(oldToken)], [2, 'done@example.com', 'ACCEPTED', tokenHash('accepted-long-ago-token-aaaaaaaaaaaaaaaaaaaa')]])
  const preview = await call(app, 'GET', `/api/invitations/${oldToken}`)
  t.same([preview.status, preview.body.email], [200, 'pending@example.com'], 'the link sent before the upgrade still opens the invitation')
  const accepted = await call(app, 'POST', `/api/invitations/${oldToken}`, { payload: { password: PASSWORD } })
  t.equal(accepted.status, 201, 'and accepts it')
})

t.test('migration 0004: a notification outlives the match and the person it is about', async (t) => {
  const { sqlite } = openDatabase(':memory:')
  t.teardown(() => sqlite.close())
  const now = new Date().toISOString()
  sqlite.prepare('INSERT INTO organizations (name, created_at, updated_at) VALUES (?, ?, ?)').run('Org', now, now)
  const user = sqlite.prepare(`INSERT INTO users (organization_id, email, role, created_at, updated_at)
    VALUES (1, ?, ?, ?, ?) RETURNING id`)
  const mentorUser = (user.get('mentor@example.com', 'MENTOR', now, now) as { id: number }).id
  const menteeUser = (user.get('mentee@example.com', 'MENTEE', now, now) as { id: number }).id
  sqlite.prepare('INSERT INTO mentors (organization_id, user_id, status, created_at, updated_at) VALUES (1, ?, \'AVAILABLE\', ?, ?)')
    .run(mentorUser, now, now)
  sqlite.prepare(`INSERT INTO mentees (organization_id, user_id, status, lambda_week, created_at, updated_at)
    VALUES (1, ?, 'AVAILABLE', 1, ?, ?)`).run(menteeUser, now, now)
  sqlite.prepare('INSERT INTO matches (organization_id, mentor_id, mentee_id, created_at, updated_at) VALUES (1, 1, 1, ?, ?)').run(now, now)
  sqlite.prepare(`INSERT INTO notifications (organization_id, user_id, content, match_id, about_user_id, created_at, updated_at)
    VALUES (1, ?, 'You have been matched with your mentee!', 1, ?, ?, ?)`).run(mentorUser, menteeUser, now, now)

  sqlite.prepare('DELETE FROM matches WHERE id = 1').run()
  sqlite.prepare('DELETE FROM users WHERE id = ?').run(menteeUser)
  t.same(sqlite.prepare('SELECT content, match_id, about_user_id FROM notifications').all(),
    [{ content: 'You have been matched with your mentee!', match_id: null, about_user_id: null }])
  t.same(sqlite.pragma('foreign_key_check'), [])
})

t.test('a migration that fails because another process has just applied them all is read again, and succeeds', async (t) => {
  const folder = mkdtempSync(join(tmpdir(), 'mentormatchr-migrate-race-'))
  t.teardown(() => rmSync(folder, { recursive: true, force: true }))
  const path = join(folder, 'race.db')
  let attempts = 0
  const { sqlite } = openDatabase(path, {
    migrate: (db) => {
      attempts++
      if (attempts === 1) {
        // The other process wins: it applies everything between this one's reading and its writing.
        openDatabase(path).sqlite.close()
        throw new Error('table `organizations` already exists')
      }
      migrate(db, { migrationsFolder: MIGRATIONS_FOLDER })
    }
  })
  t.teardown(() => sqlite.close())
  t.equal(attempts, 2)
  t.equal(sqlite.prepare('SELECT count(*) FROM __drizzle_migrations').pluck().get(), journal.entries.length, 'each migration applied once')
})

t.test('a migration that really fails is not hidden by the second reading', async (t) => {
  const folder = mkdtempSync(join(tmpdir(), 'mentormatchr-migrate-fails-'))
  t.teardown(() => rmSync(folder, { recursive: true, force: true }))
  let attempts = 0
  t.throws(() => openDatabase(join(folder, 'broken.db'), {
    migrate: () => {
      attempts++
      throw new Error(`broken migration, attempt ${attempts}`)
    }
  }), { message: 'broken migration, attempt 2' })
})

t.test('commands started at once on a new database all find it migrated', async (t) => {
  const cwd = temporaryFolder(t, 'migrate-at-once')
  const env = { DATABASE_PATH: join(cwd, 'new.db') }
  const results = await Promise.all(Array.from({ length: 4 }, () => run(SOURCE, ['migrate'], { cwd, env })))
  t.same(results.map((result) => result.code), [0, 0, 0, 0], results.map((result) => result.stderr).join(''))
  const db = new Database(join(cwd, 'new.db'), { readonly: true })
  t.teardown(() => db.close())
  t.equal(db.prepare('SELECT count(*) FROM __drizzle_migrations').pluck().get(), journal.entries.length, 'each migration applied once')
})
