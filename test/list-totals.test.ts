import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setImmediate as nextTurn } from 'node:timers/promises'
import { eq } from 'drizzle-orm'
import fc from 'fast-check'
import t from 'tap'
import { openDatabase } from '../db/connection'
import { mentees, type ProfileStatus } from '../db/schema'
import { buildApp, createUser, registerOrganization, scopeOf } from './helper'

/**
 * A list's total is kept until the database changes (domain/table-statements.ts). Whatever writes,
 * however (the domain's tables, a raw statement on the server's connection, another connection to
 * the same file, a transaction that rolls back), the next list must count what is stored: at once
 * after a write of the server's own connection, from the next turn of the event loop after another
 * connection's commit (domain/other-commits.ts), as a request sent once a CLI command has ended is.
 */

const STATUSES: ProfileStatus[] = ['PENDING', 'AVAILABLE', 'UNAVAILABLE']
const USERS_PER_ORGANIZATION = 6

type Step =
  | { kind: 'create' | 'erase' | 'erase elsewhere' | 'rolled back', organization: number, user: number }
  | { kind: 'delete' | 'restore', organization: number, user: number }
  | { kind: 'status' | 'status elsewhere', organization: number, user: number, status: ProfileStatus }
  | { kind: 'list', organization: number, status?: ProfileStatus, includeDeleted: boolean }

const person = { organization: fc.integer({ min: 0, max: 1 }), user: fc.integer({ min: 0, max: USERS_PER_ORGANIZATION - 1 }) }
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constantFrom('create', 'erase', 'erase elsewhere', 'rolled back', 'delete', 'restore' as const), ...person }),
  fc.record({ kind: fc.constantFrom('status', 'status elsewhere' as const), ...person, status: fc.constantFrom(...STATUSES) }),
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('list' as const), organization: person.organization, status: fc.option(fc.constantFrom(...STATUSES), { nil: undefined }), includeDeleted: fc.boolean() })
  }
)

t.test('for every sequence of writes, however made, each list total is what is stored', async (t) => {
  const folder = mkdtempSync(join(tmpdir(), 'mentormatchr-totals-'))
  t.teardown(() => rmSync(folder, { recursive: true, force: true }))
  const path = join(folder, 'mentormatchr.db')
  const app = await buildApp(t, { DATABASE_PATH: path, JWT_SECRET: 'a-secret-of-at-least-thirty-two-characters' })
  const other = openDatabase(path).sqlite
  t.teardown(() => other.close())
  const organizations = [(await registerOrganization(app)).organization.id, (await registerOrganization(app)).organization.id]
  const users: number[][] = []
  for (const organization of organizations) {
    const people: number[] = []
    for (let n = 0; n < USERS_PER_ORGANIZATION; n++) people.push((await createUser(app, organization, 'MENTEE')).user.id)
    users.push(people)
  }
  const { tables } = app.domain
  const profileOf = (userId: number) => (app.sqlite.prepare('SELECT id FROM mentees WHERE user_id = ?').get(userId) as { id: number } | undefined)?.id
  const stored = (organization: number, status: ProfileStatus | undefined, includeDeleted: boolean) =>
    (app.sqlite.prepare(`SELECT count(*) AS total FROM mentees WHERE organization_id = ?
      ${includeDeleted ? '' : 'AND deleted = 0'} ${status ? 'AND status = ?' : ''}`).get(organization, ...(status ? [status] : [])) as { total: number }).total
  const listed = (organization: number, status: ProfileStatus | undefined, includeDeleted: boolean) =>
    tables.mentees.list(scopeOf(organization), { limit: 2, offset: 0, includeDeleted, where: [status ? eq(mentees.status, status) : undefined] }).total
  const rollback = new Error('rolled back on purpose')

  let lists = 0
  await fc.assert(fc.asyncProperty(fc.array(step, { minLength: 10, maxLength: 40 }), async (steps) => {
    for (const step of steps) {
      const organization = organizations[step.organization]!
      const scope = scopeOf(organization)
      if (step.kind === 'list') {
        lists++
        if (listed(organization, step.status, step.includeDeleted) !== stored(organization, step.status, step.includeDeleted)) return false
        continue
      }
      const userId = users[step.organization]![step.user]!
      const profile = profileOf(userId)
      if (step.kind === 'create') {
        if (profile === undefined) tables.mentees.insert(scope, { user_id: userId, status: 'PENDING', lambda_week: 1 })
      } else if (profile === undefined) {
        continue
      } else if (step.kind === 'delete' || step.kind === 'restore') {
        tables.mentees.update(scope, profile, { deleted: step.kind === 'delete' })
      } else if (step.kind === 'status' || step.kind === 'status elsewhere') {
        (step.kind === 'status' ? app.sqlite : other).prepare('UPDATE mentees SET status = ? WHERE id = ?').run(step.status, profile)
        if (step.kind === 'status elsewhere') await nextTurn()
      } else if (step.kind === 'erase') {
        app.sqlite.prepare('DELETE FROM mentees WHERE id = ?').run(profile)
      } else if (step.kind === 'erase elsewhere') {
        other.prepare('DELETE FROM mentees WHERE id = ?').run(profile)
        await nextTurn()
      } else {
        try {
          app.sqlite.transaction(() => {
            app.sqlite.prepare('DELETE FROM mentees WHERE id = ?').run(profile)
            if (listed(organization, undefined, true) !== stored(organization, undefined, true)) throw new Error('inside the transaction, a total missed its own write')
            throw rollback
          })()
        } catch (error) {
          if (error !== rollback) throw error
        }
      }
    }
    return true
  }), { seed: 20261126, numRuns: 200 })
  t.ok(lists > 1000, `${lists} lists compared with what is stored`)
})

t.test('a total is counted once, then answered from memory until the database changes', async (t) => {
  const statements: string[] = []
  const app = await buildApp(t, {}, { database: { trace: (sql) => statements.push(sql) } })
  const organization = (await registerOrganization(app)).organization.id
  const { tables } = app.domain
  const counts = () => statements.filter((sql) => /^SELECT count\(\*\) FROM "mentees"/.test(sql)).length
  const total = () => tables.mentees.list(scopeOf(organization), { limit: 10, offset: 0 }).total
  const user = (await createUser(app, organization, 'MENTEE')).user.id

  t.equal(total(), 0)
  t.equal(counts(), 1, 'the first list counts')
  t.equal(total(), 0)
  t.equal(counts(), 1, 'the second one does not')
  tables.mentees.insert(scopeOf(organization), { user_id: user, status: 'AVAILABLE', lambda_week: 1 })
  t.equal(total(), 1, 'a write of the domain is counted')
  t.equal(counts(), 2)
  app.sqlite.prepare('UPDATE mentees SET deleted = 1').run()
  t.equal(total(), 0, 'so is a raw write on the same connection')
  t.equal(counts(), 3)
})
