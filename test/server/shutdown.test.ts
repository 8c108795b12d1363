import { once } from 'node:events'
import { existsSync, statSync } from 'node:fs'
import { connect, type Socket } from 'node:net'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import t from 'tap'
import { request, SOURCE, start, temporaryFolder } from '../cli/process'
import { PASSWORD, until } from '../helper'

/** Whether a new connection to the port is refused: the server has stopped listening. */
async function refused (port: number): Promise<boolean> {
  const socket = connect(port, '127.0.0.1')
  return new Promise((resolve) => {
    socket.once('connect', () => { socket.destroy(); resolve(false) })
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'))
  })
}

/** What SQLite leaves beside a database that was not closed cleanly. */
const leftovers = (database: string) => ['-wal', '-shm', '-journal'].filter((suffix) => existsSync(database + suffix))

t.test('SIGTERM: the request in flight completes, the process exits 0, no hot journal is left', async (t) => {
  const folder = temporaryFolder(t, 'shutdown')
  const database = join(folder, 'mentormatchr.db')
  // At debug level the server logs a request on arrival, not only once answered.
  const server = await start(t, SOURCE, { cwd: folder, env: { DATABASE_PATH: database, LOG_LEVEL: 'debug' } })
  const port = Number(new URL(server.url).port)
  t.ok(existsSync(`${database}-wal`), 'while it runs, the database is in WAL mode')

  // A registration whose body arrives in two parts, the second only after SIGTERM.
  const body = JSON.stringify({ organization_name: 'In Flight', email: 'flight@example.com', password: PASSWORD })
  const socket: Socket = connect(port, '127.0.0.1')
  await once(socket, 'connect')
  let answer = ''
  socket.on('data', (chunk) => { answer += chunk })
  const answered = once(socket, 'close')
  socket.write('POST /api/auth/register HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
    `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 20)}`)
  await until(() => server.output().includes('"url":"/api/auth/register"'), 'the server has the request')

  const exited = once(server.child, 'exit')
  server.child.kill('SIGTERM')
  await until(() => server.output().includes('stopping: finishing the requests in flight'), 'the shutdown began')
  await until(() => refused(port), 'new connections are refused')
  socket.write(body.slice(20))
  await answered

  t.match(answer, /^HTTP\/1\.1 201 Created\r\n/, 'the request in flight was answered')
  t.match(answer, /"name":"In Flight"/)
  t.match(answer, /connection: close/i, 'and its connection closed')
  const [code, signal] = await exited as [number | null, string | null]
  t.same({ code, signal }, { code: 0, signal: null }, 'the process exits 0')

  // Closing the last connection checkpoints the WAL into the database and deletes it.
  t.same(leftovers(database), [], 'no -wal, -shm or -journal file is left beside the database')
  const sqlite = new Database(database, { readonly: true })
  t.teardown(() => sqlite.close())
  t.equal(sqlite.pragma('integrity_check', { simple: true }), 'ok')
  t.same(sqlite.prepare('SELECT name FROM organizations').all(), [{ name: 'In Flight' }], 'the write of the request in flight is in the file')
})

t.test('SIGINT stops it cleanly too; a killed server, by contrast, leaves its WAL behind', async (t) => {
  const folder = temporaryFolder(t, 'shutdown')
  const database = join(folder, 'mentormatchr.db')

  const interrupted = await start(t, SOURCE, { cwd: folder, env: { DATABASE_PATH: database } })
  t.equal((await request(`${interrupted.url}/health`)).status, 200)
  const exited = once(interrupted.child, 'exit')
  interrupted.child.kill('SIGINT')
  t.equal((await exited)[0], 0)
  t.same(leftovers(database), [])

  const killed = await start(t, SOURCE, { cwd: folder, env: { DATABASE_PATH: database } })
  const registered = await request(`${killed.url}/api/auth/register`, {
    method: 'POST', body: { organization_name: 'Killed', email: 'killed@example.com', password: PASSWORD }
  })
  t.equal(registered.status, 201)
  const gone = once(killed.child, 'exit')
  killed.child.kill('SIGKILL')
  await gone
  t.ok(statSync(`${database}-wal`).size > 0, 'the check above would see a WAL that was not checkpointed')
})
