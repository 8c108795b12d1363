/**
 * `npm run soak [-- <executable>]`: a bounded soak. Starts the server (the source with tsx, or the
 * single executable named) on a fresh database in a temporary folder, signs in many people, then
 * drives a mixed load of reads and writes from all of them for SOAK_SECONDS (default 60) with
 * SOAK_CONCURRENCY requests in flight (default 16). It prints the errors, the latency p50/p99 and the
 * server's memory (RSS) along the way, and exits 1 when a request failed or memory kept growing.
 */
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { MALLOC_ENVIRONMENT, NODE_FLAGS } from '../commands/node-flags'
import { freePort, memoryMb, untilHealthy } from './local-process'

const ROOT = resolve(__dirname, '..')
const SECONDS = Number(process.env.SOAK_SECONDS ?? 60)
const CONCURRENCY = Number(process.env.SOAK_CONCURRENCY ?? 16)
const PEOPLE = 24
const PASSWORD = 'soak test password of many words'
/** Memory has levelled off when the last quarter of the run holds at most this much more than the second. */
const LEVEL_TOLERANCE = 1.2
const MINIMUM_JUDGED_SECONDS = 30

const percentile = (sorted: number[], share: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * share))] ?? 0

async function main (): Promise<void> {
  const executable = process.argv[2]
  const folder = mkdtempSync(join(tmpdir(), 'mentormatchr-soak-'))
  const url = `http://127.0.0.1:${await freePort()}`
  // The source runs with tsx's hooks in this one process (not its CLI, which adds a parent), so the RSS read is the server's.
  const tsx = join(ROOT, 'node_modules', 'tsx', 'dist')
  const [command, ...args] = executable
    ? [resolve(executable), 'serve']
    : [process.execPath, ...NODE_FLAGS, '--require', join(tsx, 'preflight.cjs'), '--import', pathToFileURL(join(tsx, 'loader.mjs')).href, join(ROOT, 'server.ts'), 'serve']
  const server = spawn(command!, args, {
    cwd: folder,
    env: { ...process.env, ...MALLOC_ENVIRONMENT, HOST: '127.0.0.1', PORT: new URL(url).port, DATABASE_PATH: join(folder, 'soak.db'), LOG_LEVEL: 'warn', AUTH_RATE_LIMIT: '100000' },
    stdio: ['ignore', 'inherit', 'inherit']
  })
  try {
    await untilHealthy(url, server, 'the server')
    const send = async (method: string, path: string, token?: string, body?: unknown) => {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body)
      })
      return { status: response.status, body: await response.json() as Record<string, unknown> }
    }
    const owner = await send('POST', '/api/auth/register', undefined, { organization_name: 'Soak', email: 'owner@soak.example', password: PASSWORD })
    const ownerToken = owner.body.token as string
    // Each person is invited and accepts, so every one has a token of their own.
    const people: Array<{ token: string, id: number }> = []
    for (let n = 0; n < PEOPLE; n++) {
      const invitation = await send('POST', '/api/invitations', ownerToken, { email: `person${n}@soak.example`, role: 'MENTOR' })
      const accepted = await send('POST', `/api/invitations/${invitation.body.token as string}`, undefined, { password: PASSWORD })
      const user = accepted.body.user as { id: number }
      people.push({ token: accepted.body.token as string, id: user.id })
      await send('POST', '/api/mentors', ownerToken, { user_id: user.id, capacity: 3 })
    }

    const operations: Array<(person: { token: string, id: number }, n: number) => Promise<{ status: number }>> = [
      (person) => send('GET', '/api/users/current_user', person.token),
      (person) => send('GET', '/api/mentors?limit=50', person.token),
      (person) => send('GET', `/api/users/${person.id}`, person.token),
      (person, n) => send('POST', '/api/experiences', person.token, { name: `Skill ${n}` }),
      (person, n) => send('PUT', `/api/users/${person.id}`, person.token, { city: `City ${n % 50}` }),
      (person) => send('GET', '/api/notifications?limit=20', person.token),
      (_person, n) => send('POST', '/api/notifications', ownerToken, { user_id: people[n % PEOPLE]!.id, content: `Reminder ${n}` })
    ]
    const latencies: number[] = []
    const failures = new Map<string, number>()
    const memory: number[] = []
    const deadline = Date.now() + SECONDS * 1000
    let sequence = 0
    const sampler = setInterval(() => memory.push(memoryMb(server.pid!, 'VmRSS')), 500)
    const worker = async () => {
      while (Date.now() < deadline) {
        const n = sequence++
        const started = performance.now()
        try {
          const { status } = await operations[n % operations.length]!(people[n % PEOPLE]!, n)
          if (status >= 400) failures.set(`HTTP ${status}`, (failures.get(`HTTP ${status}`) ?? 0) + 1)
        } catch (error) {
          failures.set((error as Error).message, (failures.get((error as Error).message) ?? 0) + 1)
        }
        latencies.push(performance.now() - started)
      }
    }
    await Promise.all(Array.from({ length: CONCURRENCY }, worker))
    clearInterval(sampler)

    latencies.sort((a, b) => a - b)
    const quarter = Math.max(1, Math.floor(memory.length / 4))
    const average = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length)
    const second = average(memory.slice(quarter, 2 * quarter))
    const last = average(memory.slice(-quarter))
    // The first seconds are start-up and warm-up: shorter runs are too short to judge the trend.
    const judged = SECONDS >= MINIMUM_JUDGED_SECONDS
    const levelled = !judged || last <= second * LEVEL_TOLERANCE
    const errors = [...failures.values()].reduce((sum, count) => sum + count, 0)
    console.log(`${executable ?? 'server.ts (tsx)'}: ${SECONDS} s, ${CONCURRENCY} in flight, ${PEOPLE + 1} people, node ${process.version}`)
    console.log(`requests: ${latencies.length} (${Math.round(latencies.length / SECONDS)}/s), errors: ${errors}${errors ? ` ${JSON.stringify(Object.fromEntries(failures))}` : ''}`)
    console.log(`latency: p50 ${percentile(latencies, 0.5).toFixed(1)} ms, p99 ${percentile(latencies, 0.99).toFixed(1)} ms`)
    console.log(`memory (RSS): start ${memory[0]?.toFixed(0)} MB, peak ${Math.max(...memory).toFixed(0)} MB, end ${memory.at(-1)?.toFixed(0)} MB; ` +
      `second quarter ${second.toFixed(0)} MB, last quarter ${last.toFixed(0)} MB: ${judged ? (levelled ? 'levelled off' : 'still growing') : 'too short a run to judge'}`)
    if (errors > 0 || !levelled) process.exitCode = 1
  } finally {
    const exited = once(server, 'exit')
    server.kill('SIGTERM')
    await exited
    rmSync(folder, { recursive: true, force: true })
  }
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
