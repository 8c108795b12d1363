import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { drizzle } from 'drizzle-orm/better-sqlite3'
import { migrate } from 'drizzle-orm/better-sqlite3/migrator'
import t, { type Test } from 'tap'
import { MIGRATIONS_FOLDER, openDatabase } from '../db/connection'

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
  t.same(tables(sqlite), ['__drizzle_migrations', 'experiences', 'invitations', 'matches', 'meetings', 'mentees',
    'mentors', 'notifications', 'organizations', 'users'])
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
  const snapshot = (sqlite: Database.Database) => ({
    organizations: sqlite.prepare('SELECT * FROM organizations ORDER BY id').all(),
    users: sqlite.prepare('SELECT * FROM users ORDER BY id').all()
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

t.test('no migration drops or rebuilds a table (a rebuild can cascade-delete child rows)', async (t) => {
  for (const { tag } of journal.entries) {
    const sql = readFileSync(join(MIGRATIONS_FOLDER, `${tag}.sql`), 'utf8')
    t.notMatch(sql, /DROP TABLE/i, `${tag} drops no table; if one must, review it and migrate a populated copy here`)
  }
})
