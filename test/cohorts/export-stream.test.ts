import { once } from 'node:events'
import { get, type IncomingMessage } from 'node:http'
import type { Socket } from 'node:net'
import { join } from 'node:path'
import { setTimeout } from 'node:timers/promises'
import { parse } from 'csv-parse/sync'
import t from 'tap'
import { createDataset } from '../../bench/dataset'
import { request, SOURCE, start, temporaryFolder } from '../cli/process'
import { listeningApp, registerOrganization, until } from '../helper'

// 400,000 rows written, 200,000 exported twice: more than tap's 30 seconds on a busy machine.
t.setTimeout(180_000)

type Row = Record<string, unknown>

/**
 * The server's V8 heap is capped: the app with its compiled schemas and a streaming export live in
 * under 40 MB (measured, at 100,000 rows as at 200,000), while an export that keeps its 200,000 rows
 * needs more than 80 and dies of it. A bound on the heap's live data holds however busy the machine
 * is, where the resident memory's rise depends on how far the collector lags.
 */
const HEAP_LIMIT_MB = 56
const EXPORTED = 200_000

t.test(`${EXPORTED.toLocaleString('en')} rows stream: the first bytes come at once, in a heap of ${HEAP_LIMIT_MB} MB, and the app keeps answering`, async (t) => {
  const folder = temporaryFolder(t, 'export')
  const database = join(folder, 'mentormatchr.db')
  // Organization 1 holds the meetings exported; organization 2 as many, which must never show.
  const dataset = await createDataset(database, {
    organizations: 2,
    mentees: 100,
    mentors: 100,
    users: 0,
    experiencesPerMentor: 0,
    matchesPerOrganization: 1000,
    meetingsPerMatch: EXPORTED / 1000,
    notificationsPerOrganization: 0,
    matchPool: 0
  })
  const [node, ...rest] = SOURCE
  const server = await start(t, [node!, `--max-old-space-size=${HEAP_LIMIT_MB}`, ...rest], { cwd: folder, env: { DATABASE_PATH: database, LOG_LEVEL: 'debug' } })
  t.teardown(() => server.stop())
  // The route schemas compile in the background once the server listens: the export runs beside all of them.
  await until(() => server.output().includes('route schemas not used yet'), 'the server has compiled its schemas')
  const login = await request(`${server.url}/api/auth/login`, { method: 'POST', body: { email: dataset.email, password: dataset.password } })
  const headers = { authorization: `Bearer ${login.body.token}` }

  for (const format of ['csv', 'json'] as const) {
    const started = performance.now()
    const chunks: Buffer[] = []
    let firstBytesMs = 0
    try {
      const response = await fetch(`${server.url}/api/exports/meetings?format=${format}`, { headers })
      const reader = response.body!.getReader()
      const first = await reader.read()
      firstBytesMs = performance.now() - started
      chunks.push(Buffer.from(first.value!))
      // While the client holds back, the server is mid-export and still answers others.
      const other = await request(`${server.url}/api/users/current_user`, { headers })
      t.equal(other.status, 200, 'the app answers during an export')
      for (let next = await reader.read(); !next.done; next = await reader.read()) chunks.push(Buffer.from(next.value))
    } catch (error) {
      t.fail(`${format}: the export broke off (${String(error)}); the server printed: ${server.output().slice(-2000)}`)
      return
    }
    const totalMs = performance.now() - started
    const text = Buffer.concat(chunks).toString('utf8')
    const rows: Row[] = format === 'csv' ? parse(text, { columns: true }) : JSON.parse(text)
    t.equal(rows.length, EXPORTED, `${format}: every row`)
    t.ok(rows.every((row) => String(row.organization_id) === '1'), `${format}: none of organization 2`)
    t.ok(firstBytesMs < totalMs / 2, `${format}: the first bytes after ${firstBytesMs.toFixed(0)} ms, all of them after ${totalMs.toFixed(0)} ms`)
    t.equal(server.child.exitCode, null, `${format}: the server is still running`)
  }
})

t.test('backpressure: while the client reads nothing, the server writes no more than the socket holds', async (t) => {
  const { app, base } = await listeningApp(t, 'export')
  const { headers, organization } = await registerOrganization(app)
  const insert = app.sqlite.prepare("INSERT INTO users (organization_id, email, role, created_at, updated_at) VALUES (?, ?, 'USER', '2026-01-01', '2026-01-01')")
  app.sqlite.transaction(() => {
    for (let n = 0; n < 100_000; n++) insert.run(organization.id, `person-${n}@a-rather-long-domain-name.example.org`)
  })()
  let socket: Socket | undefined
  app.server.on('request', (request: IncomingMessage) => { socket = request.socket })

  const response = await new Promise<IncomingMessage>((resolve) => get(`${base}/api/exports/people?format=json`, { headers }, resolve))
  response.pause()
  await setTimeout(500)
  const written = socket!.bytesWritten + socket!.writableLength
  const rest: Buffer[] = []
  response.on('data', (chunk: Buffer) => rest.push(chunk))
  response.resume()
  await once(response, 'end')
  const total = Buffer.concat(rest).length
  t.equal(JSON.parse(Buffer.concat(rest).toString()).length, 100_001)
  t.comment(`paused after ${(written / 1e6).toFixed(1)} MB of ${(total / 1e6).toFixed(1)} MB`)
  t.ok(written < total / 4, `the server waited for the client: ${(written / 1e6).toFixed(1)} of ${(total / 1e6).toFixed(1)} MB written`)
})
