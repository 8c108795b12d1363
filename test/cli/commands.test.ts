import { closeSync, existsSync, openSync, readdirSync, readFileSync, writeFileSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import t from 'tap'
import { backup } from '../../commands/backup'
import type { User } from '../../domain/caller'
import { CommandError } from '../../commands/errors'
import { choosePassword, createAdmin } from '../../commands/create-admin'
import { seedDemo } from '../../commands/seed-demo'
import { bearer, buildApp, call, createUser, PASSWORD, registerOrganization, rowsOf } from '../helper'
import { temporaryFolder } from './process'

t.test('backup: a consistent, checked, self-contained copy that holds the rows', async (t) => {
  const folder = temporaryFolder(t, 'backup')
  const app = await buildApp(t, { DATABASE_PATH: join(folder, 'live', 'mentormatchr.db') })
  const { organization } = await registerOrganization(app)
  await createUser(app, organization.id, 'MENTOR')

  const target = join(folder, 'backups', 'monday.db')
  const result = await backup(app, target)
  t.same(result, { file: target, bytes: result.bytes })
  t.ok(result.bytes > 4096)
  t.same(readdirSync(join(folder, 'backups')), ['monday.db'], 'no temporary file is left beside it')

  const copy = new Database(target, { readonly: true })
  t.teardown(() => copy.close())
  t.equal(copy.pragma('integrity_check', { simple: true }), 'ok')
  t.equal(copy.pragma('journal_mode', { simple: true }), 'delete', 'one file, without a WAL beside it')
  t.same(copy.prepare('SELECT * FROM users ORDER BY id').all(), rowsOf(app, 'users'), 'the users are all there')
  t.same(copy.prepare('SELECT * FROM organizations ORDER BY id').all(), rowsOf(app, 'organizations'))
  t.same(copy.prepare('SELECT hash, created_at FROM __drizzle_migrations ORDER BY id').all(),
    app.sqlite.prepare('SELECT hash, created_at FROM __drizzle_migrations ORDER BY id').all())
})

t.test('backup: a copy that fails its check replaces nothing and leaves nothing', async (t) => {
  const folder = temporaryFolder(t, 'backup')
  const app = await buildApp(t, { DATABASE_PATH: join(folder, 'mentormatchr.db') })
  await registerOrganization(app)
  const target = join(folder, 'backup.db')
  writeFileSync(target, 'the previous backup')

  // A copy whose users table has a damaged page, as a failing disk would leave it; the copy keeps
  // the page numbers of the live database, so its root page is found there.
  const { rootpage } = app.sqlite.prepare("SELECT rootpage FROM sqlite_master WHERE name = 'users'").get() as { rootpage: number }
  const pageSize = app.sqlite.pragma('page_size', { simple: true }) as number
  const copyThenDamage = app.sqlite.backup.bind(app.sqlite)
  app.sqlite.backup = async (destination: string) => {
    const metadata = await copyThenDamage(destination)
    const descriptor = openSync(destination, 'r+')
    writeSync(descriptor, Buffer.alloc(16, 0xff), 0, 16, (rootpage - 1) * pageSize)
    closeSync(descriptor)
    return metadata
  }

  await t.rejects(backup(app, target), { message: /^The copy failed its integrity check \(.*btreeInitPage.*\): nothing was kept$/s })
  t.equal(readFileSync(target, 'utf8'), 'the previous backup', 'the previous backup is untouched')
  t.same(readdirSync(folder).filter((file) => file.includes('.tmp')), [], 'the failed copy is removed')
})

t.test('backup: refuses the live database itself and an in-memory one', async (t) => {
  const folder = temporaryFolder(t, 'backup')
  const live = join(folder, 'mentormatchr.db')
  const app = await buildApp(t, { DATABASE_PATH: live })
  await t.rejects(backup(app, live), new CommandError(`${live} is the live database itself: choose another file`))
  const memory = await buildApp(t)
  await t.rejects(backup(memory, join(folder, 'x.db')), new CommandError('The database is in memory: there is nothing on disk to back up'))
  t.notOk(existsSync(join(folder, 'x.db')))
})

t.test('create-admin: an ADMINISTRATOR of no organization, who signs in and sees every organization', async (t) => {
  const app = await buildApp(t)
  const first = await registerOrganization(app)
  const second = await registerOrganization(app)
  const admin = await createAdmin(app, '  Root@Example.COM ', PASSWORD)
  t.match(admin, { email: 'root@example.com', role: 'ADMINISTRATOR', organization_id: null })

  const login = await call(app, 'POST', '/api/auth/login', { payload: { email: 'root@example.com', password: PASSWORD } })
  t.equal(login.status, 200)
  const organizations = await call(app, 'GET', '/api/organizations', { headers: bearer(login.body.token) })
  t.same(organizations.body.map((organization: { id: number }) => organization.id).sort(),
    [first.organization.id, second.organization.id].sort())
})

t.test('create-admin: a taken email or a bad one is refused and nothing is written', async (t) => {
  const app = await buildApp(t)
  const { user } = await registerOrganization(app)
  await createAdmin(app, 'root@example.com', PASSWORD)
  const before = rowsOf(app, 'users')
  await t.rejects(createAdmin(app, 'ROOT@example.com', PASSWORD),
    new CommandError('A user with the email root@example.com already exists: nothing was created'))
  await t.rejects(createAdmin(app, user.email, PASSWORD),
    new CommandError(`A user with the email ${user.email} already exists: nothing was created`), 'the email of an organization member')
  await t.rejects(createAdmin(app, 'not an email', PASSWORD), new CommandError('"not an email" is not an email address'))
  t.same(rowsOf(app, 'users'), before)
})

t.test('passwords: given ones are checked like the API checks them, or one is generated', async (t) => {
  t.same(choosePassword('a long enough one'), { password: 'a long enough one', generated: false })
  t.throws(() => choosePassword('short'), new CommandError('The password must be 8 to 200 characters long'))
  const generated = choosePassword(undefined)
  t.equal(generated.generated, true)
  t.match(generated.password, /^[\w-]{24}$/)
  t.not(choosePassword('').password, generated.password, 'an empty one counts as none, and each is new')
})

t.test('seed-demo: an organization the API serves at once, consistent with the match rules', async (t) => {
  const app = await buildApp(t)
  const demo = await seedDemo(app, 1, PASSWORD)
  t.match(demo.counts, { users: 24, mentors: 8, mentees: 14 })
  t.ok(demo.counts.experiences >= 16 && demo.counts.matches >= 5 && demo.counts.meetings >= demo.counts.matches)
  t.equal(demo.owner.role, 'OWNER')
  t.match(demo.owner.email, /@[a-z0-9-]+\.example$/, 'addresses end in the reserved .example')

  const login = await call(app, 'POST', '/api/auth/login', { payload: { email: demo.owner.email, password: PASSWORD } })
  t.equal(login.status, 200, 'the OWNER signs in with the password given')
  const headers = bearer(login.body.token)
  for (const [resource, count] of Object.entries(demo.counts)) {
    if (resource === 'notifications') continue
    const list = await call(app, 'GET', `/api/${resource}`, { headers, query: { limit: '200' } })
    t.equal(list.status, 200, resource)
    t.equal(Number(list.headers['x-total-count']), count, `GET /api/${resource} serves the ${count} ${resource}`)
  }

  const mentors = (await call(app, 'GET', '/api/mentors', { headers, query: { limit: '200' } })).body as Array<{ id: number, status: string, capacity: number, active_matches: number, user: { first_name: string } }>
  const mentees = (await call(app, 'GET', '/api/mentees', { headers, query: { limit: '200' } })).body as Array<{ id: number, status: string }>
  const matches = (await call(app, 'GET', '/api/matches', { headers, query: { limit: '200' } })).body as Array<{ mentee_id: number, status: string, end_date: string | null }>
  t.ok(mentors.every((mentor) => mentor.user.first_name), 'people have names')
  t.ok(mentors.every((mentor) => mentor.active_matches <= mentor.capacity), 'no mentor holds more than its capacity')
  t.ok(mentors.filter((mentor) => mentor.status === 'AVAILABLE').every((mentor) => mentor.active_matches < mentor.capacity))
  const matched = new Set(matches.filter((match) => match.status === 'ACTIVE').map((match) => match.mentee_id))
  t.ok(mentees.filter((mentee) => matched.has(mentee.id)).every((mentee) => mentee.status === 'UNAVAILABLE'), 'matched mentees are UNAVAILABLE')
  t.ok(matches.filter((match) => match.status !== 'ACTIVE').every((match) => match.end_date), 'ended matches have an end date')
  t.ok(mentees.some((mentee) => mentee.status === 'PENDING'), 'some applications wait for staff')

  const mentee = await call(app, 'POST', '/api/auth/login', {
    payload: { email: (rowsOf(app, 'users') as User[]).find((user) => user.role === 'MENTEE')!.email, password: PASSWORD }
  })
  t.equal(mentee.status, 200, 'every demo person signs in with the same password')
})

t.test('seed-demo: the same seed gives the same people; a second run is refused and writes nothing', async (t) => {
  const app = await buildApp(t)
  const first = await seedDemo(app, 7, PASSWORD)
  const again = await buildApp(t)
  const twin = await seedDemo(again, 7, PASSWORD)
  t.equal(twin.organization.name, first.organization.name)
  t.equal(twin.owner.email, first.owner.email)

  const users = rowsOf(app, 'users')
  await t.rejects(seedDemo(app, 7, PASSWORD),
    new CommandError(`The demo organization "${first.organization.name}" exists already: pass --seed with another number for another one`))
  t.same(rowsOf(app, 'users'), users)
  const other = await seedDemo(app, 8, PASSWORD)
  t.not(other.organization.name, first.organization.name, 'another seed, another organization')
})
