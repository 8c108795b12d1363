import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setImmediate as nextTurn } from 'node:timers/promises'
import t from 'tap'
import { openDatabase } from '../../db/connection'
import { otherCommits } from '../../domain/other-commits'

t.test('another connection\'s commit is seen from the next turn of the event loop, read once per turn', async (t) => {
  const folder = mkdtempSync(join(tmpdir(), 'mentormatchr-other-commits-'))
  t.teardown(() => rmSync(folder, { recursive: true, force: true }))
  const path = join(folder, 'mentormatchr.db')
  const statements: string[] = []
  const server = openDatabase(path, { trace: (sql) => statements.push(sql) }).sqlite
  const command = openDatabase(path).sqlite
  t.teardown(() => { server.close(); command.close() })
  const version = otherCommits(server)
  t.equal(otherCommits(server), version, 'one reader per connection, shared by its caches')
  const reads = () => statements.filter((sql) => sql === 'PRAGMA data_version').length

  await nextTurn()
  const before = version()
  t.equal(version(), before)
  t.equal(reads(), 1, 'the pragma is read once in a turn')
  command.exec('CREATE TABLE scratch (value)')
  t.equal(version(), before, 'within the turn, the version read at its start')
  await nextTurn()
  t.not(version(), before, 'the next turn sees the commit')
  t.equal(reads(), 2)

  const after = version()
  server.exec('CREATE TABLE own (value)')
  await nextTurn()
  t.equal(version(), after, 'the connection\'s own writes leave it as it was: the caches count those themselves')
})
