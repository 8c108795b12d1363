import t, { type Test } from 'tap'
import { openDatabase } from '../../db/connection'
import { organizations } from '../../db/schema'
import { TableStatements } from '../../domain/table-statements'

function organizationStatements (t: Test) {
  const executed: string[] = []
  const { sqlite } = openDatabase(':memory:', { trace: (sql) => executed.push(sql) })
  t.teardown(() => sqlite.close())
  return { statements: new TableStatements<typeof organizations.$inferSelect>(sqlite, organizations), executed }
}

t.test('insertMany: rows giving the same columns are one statement, answered in their order', async (t) => {
  const { statements, executed } = organizationStatements(t)
  executed.length = 0
  const rows = statements.insertMany([{ name: 'Ada' }, { name: 'Grace' }, { name: 'Edsger' }])
  t.same(rows.map((row) => row.name), ['Ada', 'Grace', 'Edsger'])
  t.ok(rows[0]!.id < rows[1]!.id && rows[1]!.id < rows[2]!.id)
  t.same(rows.map((row) => [row.requests_enabled, row.request_expiry_days]), [[true, 7], [true, 7], [true, 7]], "the database's defaults")
  t.ok(rows.every((row) => typeof row.created_at === 'string'), 'the $defaultFn of each row')
  t.equal(executed.length, 1, 'one INSERT of three rows')
  t.match(executed[0], /^INSERT INTO "organizations" \(.*\) VALUES \(.*\), \(.*\), \(.*\) RETURNING/)
})

t.test('insertMany: rows giving other columns are written one by one, each as insert writes it', async (t) => {
  const { statements, executed } = organizationStatements(t)
  executed.length = 0
  const rows = statements.insertMany([{ name: 'Ada' }, { name: 'Grace', description: null }, { name: 'Edsger', description: 'Compilers', request_expiry_days: 3 }])
  t.same(rows.map((row) => [row.name, row.description, row.request_expiry_days]), [['Ada', null, 7], ['Grace', null, 7], ['Edsger', 'Compilers', 3]])
  t.equal(executed.length, 3, 'one INSERT per row: null is given, undefined is not')
  t.same(statements.insertMany([]), [], 'no row, no statement')
  t.equal(executed.length, 3)
})
