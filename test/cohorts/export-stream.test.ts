import { once } from 'node:events'
import { get, type IncomingMessage } from 'node:http'
import type { Socket } from 'node:net'
import { join } from 'node:path'
import { setTimeout } from 'node:timers/promises'
import { parse } from 'csv-parse/sync'
import t from 'tap'
import { createDataset } from '../../bench/dataset'
import { memoryMb } from '../../scripts/local-process'
import { request, SOURCE, start, temporaryFolder } from '../cli/process'
import { listeningApp, registerOrganization, until } from '../helper'

// 200,000 rows written, 100,000 exported four times: more than tap's 30 seconds on a busy machine.
t.setTimeout(180_000)

type Row = Record<string, unknown>

t.test('100,000 rows stream: the first bytes come at once, the server\'s memory stays flat, the app keeps answering', async (t) => {
  const folder = temporaryFolder(t, 'export')
  const database = join(folder, 'mentormatchr.db')
  // Organization 1 holds 100,000 meetings; organization 2 as many, which must never show.
  const dataset = await createDataset(database, {
    organizations: 2,
    mentees: 100,
    mentors: 100,
    users: 0,
    experiencesPerMentor: 0,
    matchesPerOrganization: 1000,
    meetingsPerMatch: 100,
    notificationsPerOrganization: 0,
    matchPool: 0
  })
  const server = await start(t, SOURCE, { cwd: folder, env: { DATABASE_PATH: database, LOG_LEVEL: 'debug' } })
  t.teardown(() => server.stop())
  // The route schemas compile in the background once the server listens: their memory is no part of an export's.
  await until(() => server.output().includes('route schemas not used yet'), 'the server has compiled its schemas')
  const login = await request(`${server.url}/api/auth/login`, { method: 'POST', body: { email: dataset.email, password: dataset.password } })
  const headers = { authorization: `Bearer ${login.body.token}` }
  const pid = server.child.pid!

  // The first export of each format warms the server up: its heap grows to what streaming needs (by
  // 12 to 58 MB, more on a busy machine, as the collector lags). The second must leave the memory flat:
  // keeping the rows would take 31 MB.
  for (const [round, format] of [[1, 'csv'], [1, 'json'], [2, 'csv'], [2, 'json']] as const) {
    const before = memoryMb(pid, 'VmRSS')
    let peak = before
    const started = performance.now()
    const response = await fetch(`${server.url}/api/exports/meetings?format=${format}`, { headers })
    const reader = response.body!.getReader()
    const first = await reader.read()
    const firstBytesMs = performance.now() - started
    // While the client holds back, the server is mid-export and still answers others.
    const health = await request(`${server.url}/api/users/current_user`, { headers })
    t.equal(health.status, 200, 'the app answers during an export')
    const chunks = [Buffer.from(first.value!)]
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      chunks.push(Buffer.from(next.value))
      if (chunks.length % 10 === 0) peak = Math.max(peak, memoryMb(pid, 'VmRSS'))
    }
    const totalMs = performance.now() - started
    const text = Buffer.concat(chunks).toString('utf8')
    const rows: Row[] = format === 'csv' ? parse(text, { columns: true }) : JSON.parse(text)
    const growth = Math.max(peak, memoryMb(pid, 'VmRSS')) - before
    t.equal(rows.length, 100_000, `${format}: 100,000 rows`)
    t.ok(rows.every((row) => String(row.organization_id) === '1'), `${format}: none of organization 2`)
    t.ok(firstBytesMs < totalMs / 2, `${format}: the first bytes after ${firstBytesMs.toFixed(0)} ms, all of them after ${totalMs.toFixed(0)} ms`)
    t.comment(`${format}, round ${round}: ${(text.length / 1e6).toFixed(1)} MB in ${totalMs.toFixed(0)} ms; the server's resident memory rose by at most ${growth.toFixed(1)} MB`)
    // Measured in the second round: 0.5 to 3.2 MB.
    if (round === 2) t.ok(growth < 16, `${format}, again: resident memory rose by ${growth.toFixed(1)} MB`)
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
