import t, { type Test } from 'tap'
import { eq, sql } from 'drizzle-orm'
import { openDatabase } from '../../db/connection'
import { organizations } from '../../db/schema'
import { createDomain } from '../../domain'
import { systemCaller } from '../../domain/caller'
import { preparedOnFirstUse } from '../../domain/prepared'

function database (t: Test) {
  const { sqlite, db } = openDatabase(':memory:')
  t.teardown(() => sqlite.close())
  const prepared: string[] = []
  const prepare = sqlite.prepare.bind(sqlite)
  sqlite.prepare = ((source: string) => {
    prepared.push(source)
    return prepare(source)
  }) as typeof sqlite.prepare
  return { db, prepared }
}

t.test('preparedOnFirstUse: prepared by its first run, once, and each way of running it answers as drizzle does', async (t) => {
  const { db, prepared } = database(t)
  let built = 0
  const insert = preparedOnFirstUse(() => {
    built++
    return db.insert(organizations).values({ name: sql.placeholder('name') }).returning({ id: organizations.id }).prepare()
  })
  const byName = preparedOnFirstUse(() => db.select({ id: organizations.id, name: organizations.name }).from(organizations)
    .where(eq(organizations.name, sql.placeholder('name'))).prepare())
  t.same([built, prepared.length], [0, 0], 'nothing is prepared before it runs')

  const [ada] = insert.all({ name: 'Ada' })
  t.same([built, prepared.length], [1, 1])
  t.same(insert.get({ name: 'Grace' }), { id: ada!.id + 1 })
  t.equal(insert.run({ name: 'Edsger' }).changes, 1)
  t.same([built, prepared.length], [1, 1], 'then kept: every run uses the same statement')

  t.same(byName.get({ name: 'Grace' }), { id: ada!.id + 1, name: 'Grace' })
  t.same(byName.all({ name: 'Edsger' }), [{ id: ada!.id + 2, name: 'Edsger' }])
  t.same(byName.values({ name: 'Ada' }), [[ada!.id, 'Ada']])
  t.equal(prepared.length, 2)
})

t.test('building the rules prepares no statement: each is prepared when something first runs it', async (t) => {
  const { db, prepared } = database(t)
  const log = { info () {}, warn () {}, error () {} }
  const rules = createDomain(db, {
    appUrl: undefined,
    serverUrl: 'http://127.0.0.1:3000',
    lifetimeDays: 7,
    mailer: null,
    gitHubSignIn: false,
    secret: 'a-secret-of-at-least-thirty-two-characters',
    log,
    checkRow: () => undefined,
    openReader: () => { throw new Error('no export here') }
  })
  t.same([...prepared].sort(), ['PRAGMA data_version', 'SELECT 1', 'SELECT total_changes()'],
    'only the few plain statements that need no query building')
  prepared.length = 0
  t.equal(rules.notifications.markAllRead(systemCaller(1)), 0)
  t.equal(prepared.length, 1, 'the first run prepares what it runs')
})
