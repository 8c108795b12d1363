/**
 * `npm run bench [-- <executable>]`: MentorMatchr against the bare stack, side by side in one run.
 *
 * Builds a temporary database (bench/dataset.ts), starts MentorMatchr from source, the bare baseline
 * (bench/baseline.ts) and the baseline with JWT verification on the Node running the bench; given an
 * executable, it too and both baselines again on the Node inside it, so that every ratio compares
 * two servers on one Node. Each runs as its own process; autocannon drives them from this process:
 * a warm-up, then BENCH_ROUNDS rounds in which every request runs against every server in turn (the
 * order rotating each round). Each cell is the round of median req/s, each ratio the median of the
 * rounds' ratios. The table goes to stdout and, with the machine it ran on, to bench/RESULTS.md
 * (BENCH_OUTPUT names another file).
 *
 * BENCH_SECONDS per run (3), BENCH_WARM_UP seconds (1), BENCH_ROUNDS (3), BENCH_CONNECTIONS (50),
 * BENCH_MATCH_SECONDS per run of POST /api/matches (1), BENCH_WAL_SECONDS of writes watching the WAL
 * at the end (60), BENCH_DATASET full or tiny (the test suite's smoke run).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { cpus, freemem, loadavg, tmpdir, totalmem } from 'node:os'
import { join, relative, resolve } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import autocannon from 'autocannon'
import { MALLOC_ENVIRONMENT, NODE_FLAGS } from '../commands/node-flags'
import { createDataset, type Dataset, FULL, TINY } from '../bench/dataset'
import { betterSqliteAddon, embeddedNode } from './embedded-node'
import { freePort, memoryMb, resetPeakMemory, untilHealthy } from './local-process'

const ROOT = resolve(__dirname, '..')
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const WARM_UP_SECONDS = Number(process.env.BENCH_WARM_UP ?? 1)
const WAL_SECONDS = Number(process.env.BENCH_WAL_SECONDS ?? 60)
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50)
// Each match takes a mentee of the pool for good, so these runs are short.
const MATCH_SECONDS = Number(process.env.BENCH_MATCH_SECONDS ?? 1)
const SIZES = process.env.BENCH_DATASET === 'tiny' ? TINY : FULL
const OUTPUT = resolve(process.env.BENCH_OUTPUT ?? join(ROOT, 'bench', 'RESULTS.md'))
const JWT_SECRET = 'bench-secret-bench-secret-bench-secret-0123456789'
// tsx's CommonJS hook, preloaded in the server's own process (its CLI would add a parent process).
const TSX = join(ROOT, 'node_modules', 'tsx', 'dist', 'cjs', 'index.cjs')

interface Server {
  name: string
  url: string
  process: ChildProcess
  /** Milliseconds from spawn to a 200 from /health. */
  startMs: number
  /** The highest resident memory seen so far, in MB: while starting, then the peak of every run. */
  peakMb: number
  /** Whether it serves MentorMatchr's whole API (the baselines answer only some requests). */
  complete: boolean
  /** A baseline without JWT verification: every request is organization 1's. */
  unverified: boolean
  /** The Node.js it runs on (`v20.20.2`): a ratio compares two servers on the same one. */
  node: string
}

/** How to start one server: its program, and what it is. */
interface Launch {
  name: string
  command: string
  args: string[]
  env: Record<string, string>
  complete: boolean
  unverified: boolean
  node: string
}

interface Request {
  name: string
  baseline: boolean
  /** Baselines without JWT verification answer this one too. */
  bare: boolean
  options: (server: Server) => autocannon.Options
}

/** The complete servers' ratios to the baselines on the same Node, as [complete, baseline] pairs. */
const comparisons = (servers: Server[]): Array<[Server, Server]> => servers.filter((server) => server.complete).flatMap((server) =>
  servers.filter((other) => !other.complete && other.node === server.node).map((other): [Server, Server] => [server, other]))

/**
 * `others`: the share of the machine's CPU used by processes other than the bench and its servers;
 * `peakMb`: the measured server's peak resident memory during this run.
 */
interface Measure { rps: number, p50: number, p99: number, others: number, peakMb: number }

/**
 * Starts a server once those already started have settled (MentorMatchr compiles its schemas in the
 * background after it listens), so that each start is timed on a quiet machine. Every server, the
 * baselines too, runs with the malloc setting npm start and the systemd unit give MentorMatchr.
 */
async function start (started: Server[], folder: string, { name, command, args, env, ...what }: Launch): Promise<Server> {
  await settle(started)
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const began = performance.now()
  const child = spawn(command, args, {
    cwd: folder,
    env: { ...process.env, ...MALLOC_ENVIRONMENT, ...env, HOST: '127.0.0.1', PORT: String(port), DATABASE_PATH: join(folder, 'bench.db'), JWT_SECRET },
    // The access log is written, as in production, but nobody reads it.
    stdio: ['ignore', 'ignore', 'inherit']
  })
  await untilHealthy(url, child, name)
  return { name, url, process: child, startMs: performance.now() - began, peakMb: memoryMb(child.pid!, 'VmHWM'), ...what }
}

/** CPU time in clock ticks: the machine's, all cores together, and the bench's own processes'. */
function cpuTicks (servers: Server[]): { busy: number, total: number, ours: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number)
  const total = fields.reduce((sum, value) => sum + value, 0)
  return { busy: total - fields[3]! - fields[4]!, total, ours: benchTicks() + servers.reduce((sum, server) => sum + processTicks(server.process.pid!), 0) }
}

/** utime + stime of a process (fields 14 and 15 of /proc/<pid>/stat, after the command's parenthesis). */
function processTicks (pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return Number(fields[11]) + Number(fields[12])
}

const CLOCK_TICKS_PER_SECOND = 100
const benchTicks = () => {
  const { user, system } = process.cpuUsage()
  return (user + system) / 1_000_000 * CLOCK_TICKS_PER_SECOND
}

/**
 * Waits until the servers stop working on the last run (queued scrypt hashes, a checkpoint), so
 * that the next run does not pay for them: their CPU time must stand still for 200 ms.
 */
async function settle (servers: Server[]): Promise<void> {
  const serverTicks = () => servers.reduce((sum, server) => sum + processTicks(server.process.pid!), 0)
  for (let waited = 0, last = serverTicks(); waited < 10_000; waited += 200) {
    await sleep(200)
    const now = serverTicks()
    if (now - last <= 2) return
    last = now
  }
}

async function measure (name: string, servers: Server[], server: Server, options: autocannon.Options): Promise<Measure> {
  await settle(servers)
  const pid = server.process.pid!
  resetPeakMemory(pid)
  const before = cpuTicks(servers)
  const result = await autocannon({ connections: CONNECTIONS, duration: SECONDS, ...options })
  const after = cpuTicks(servers)
  const peakMb = memoryMb(pid, 'VmHWM')
  server.peakMb = Math.max(server.peakMb, peakMb)
  if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0) {
    throw new Error(`${name}: ${result.non2xx} non-2xx answers, ${result.errors} errors, ${result.timeouts} timeouts ` +
      '(POST /api/matches refuses pairs once the pool of free mentees is used up: lower BENCH_MATCH_SECONDS or BENCH_ROUNDS)')
  }
  return {
    rps: result.requests.total / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    others: Math.max(0, (after.busy - before.busy) - (after.ours - before.ours)) / (after.total - before.total),
    peakMb
  }
}

/** Rotates through `values`, one per request, across runs. */
function rotation<T> (values: T[]): () => T {
  let next = 0
  return () => values[next++ % values.length]!
}

function requests (dataset: Dataset, headers: Record<string, string>): Request[] {
  const json = { ...headers, 'content-type': 'application/json' }
  const mentee = rotation(dataset.menteeIds)
  const match = rotation(dataset.activeMatchIds)
  const notification = rotation(dataset.notificationIds)
  // Past the end of the pool, pairs repeat and are refused (409): the run then fails, saying so.
  const pair = rotation(dataset.freePairs)
  const get = (path: string | (() => string)) => (server: Server): autocannon.Options => typeof path === 'string'
    ? { url: server.url + path, headers }
    : { url: server.url, requests: [{ method: 'GET', headers, setupRequest: (request) => ({ ...request, path: path() }) }] }
  const send = (method: string, path: () => string, body?: () => unknown, duration?: number) => (server: Server): autocannon.Options => ({
    url: server.url,
    ...(duration && { duration }),
    requests: [{
      method,
      headers: body ? json : headers,
      setupRequest: (request) => ({ ...request, path: path(), ...(body && { body: JSON.stringify(body()) }) })
    }]
  })
  return [
    { name: 'GET /health', baseline: true, bare: true, options: (server) => ({ url: `${server.url}/health` }) },
    { name: 'GET /api/mentees/:id', baseline: true, bare: true, options: get(() => `/api/mentees/${mentee()}`) },
    { name: 'GET /api/mentees?limit=50 (+ total)', baseline: true, bare: true, options: get('/api/mentees?limit=50') },
    { name: 'GET /api/matches?status=ACTIVE&limit=50', baseline: true, bare: true, options: get('/api/matches?status=ACTIVE&limit=50') },
    {
      name: 'POST /api/meetings (synchronous=FULL)',
      baseline: true,
      bare: true,
      options: send('POST', () => '/api/meetings', () => ({ match_id: match(), meeting_date: '2026-01-15T10:00:00Z', location: 'Library', notes: 'Bench' }))
    },
    { name: 'PATCH /api/notifications/:id', baseline: true, bare: true, options: send('PATCH', () => `/api/notifications/${notification()}`) },
    {
      name: `POST /api/matches (${MATCH_SECONDS} s runs)`,
      baseline: false,
      bare: false,
      options: send('POST', () => '/api/matches', () => {
        const [mentor_id, mentee_id] = pair()
        return { mentor_id, mentee_id }
      }, MATCH_SECONDS)
    },
    {
      name: 'POST /api/auth/login (scrypt)',
      baseline: false,
      bare: false,
      options: send('POST', () => '/api/auth/login', () => ({ email: dataset.email, password: dataset.password }))
    }
  ]
}

const number = (value: number) => Math.round(value).toLocaleString('en-US')
/** The middle of the values, ordered by `rank`. */
const middle = <T>(values: T[], rank: (value: T) => number): T =>
  [...values].sort((a, b) => rank(a) - rank(b))[Math.floor(values.length / 2)]!
const median = (measures: Measure[]) => middle(measures, (measure) => measure.rps)
/**
 * The median of the rounds' ratios of two servers: the two runs of one round are seconds apart, while
 * the machine's speed drifts between rounds (the bare server's /health moved by a quarter between two
 * runs of the bench), which a ratio of the two medians would take in.
 */
const medianRatio = (mine: Measure[], theirs: Measure[]) =>
  middle(mine.map((measure, round) => measure.rps / theirs[round]!.rps), (ratio) => ratio)

function table (servers: Server[], list: Request[], results: Map<string, Measure[]>): string {
  const pairs = comparisons(servers)
  const header = ['Request', ...servers.map((server) => `${server.name}: req/s (p50/p99 ms, others' CPU, peak RSS)`), ...pairs.map(([server, other]) => `${server.name} / ${other.name}`)]
  const rows = list.map((request) => {
    const cells = servers.map((server) => {
      const measures = results.get(`${request.name}|${server.name}`)
      if (!measures) return ''
      const { rps, p50, p99, others } = median(measures)
      const peakMb = Math.max(...measures.map((measure) => measure.peakMb))
      return `${number(rps)} (${p50}/${p99}, ${Math.round(others * 100)}%, ${number(peakMb)} MB)`
    })
    const ratios = pairs.map(([server, other]) => {
      const mine = results.get(`${request.name}|${server.name}`)
      const theirs = results.get(`${request.name}|${other.name}`)
      return mine && theirs ? medianRatio(mine, theirs).toFixed(2) : ''
    })
    return [request.name, ...cells, ...ratios]
  })
  const blank = Array(header.length - 1 - servers.length).fill('')
  rows.push(['peak RSS (MB)', ...servers.map((server) => number(server.peakMb)), ...blank])
  rows.push(['RSS after the runs: heaps + mapped files (MB)', ...servers.map(({ process: { pid } }) =>
    `${number(memoryMb(pid!, 'RssAnon'))} + ${number(memoryMb(pid!, 'RssFile'))}`), ...blank])
  rows.push(['start to a healthy /health (ms)', ...servers.map((server) => number(server.startMs)), ...blank])
  return [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n')
}

/**
 * The WAL under sustained writes: POST /api/meetings against MentorMatchr alone for
 * BENCH_WAL_SECONDS, the size of the -wal file sampled every 100 ms.
 */
async function sustainedWrites (folder: string, servers: Server[], list: Request[]): Promise<string> {
  const wal = join(folder, 'bench.db-wal')
  const walMb = () => existsSync(wal) ? statSync(wal).size / 1024 / 1024 : 0
  const server = servers.find((candidate) => candidate.complete)!
  const meetings = list.find((request) => request.name.startsWith('POST /api/meetings'))!
  let largest = walMb()
  const sampling = setInterval(() => { largest = Math.max(largest, walMb()) }, 100)
  try {
    const { rps } = await measure('the sustained writes', servers, server, { ...meetings.options(server), duration: WAL_SECONDS })
    return `WAL under ${WAL_SECONDS} s of POST /api/meetings on ${server.name} (${number(rps)} req/s): ` +
      `at most ${largest.toFixed(1)} MB, ${walMb().toFixed(1)} MB at the end`
  } finally {
    clearInterval(sampling)
  }
}

/**
 * MentorMatchr from source and the two baselines, on the Node running the bench; with an executable,
 * it too, and the two baselines again on the Node inside it (Node 24 answers some requests half as
 * fast again as Node 20: a ratio across the two would credit MentorMatchr with the newer Node).
 */
function launches (executable: string | undefined): Launch[] {
  const app = { LOG_LEVEL: process.env.LOG_LEVEL ?? 'info', AUTH_RATE_LIMIT: '1000000000' }
  const args = ['--require', TSX, join(ROOT, 'bench', 'baseline.ts')]
  const baselines = (command: string, node: string, env: Record<string, string>, suffix: string): Launch[] => [
    { name: `bare${suffix}`, command, args, env, complete: false, unverified: true, node },
    { name: `bare + JWT${suffix}`, command, args, env: { ...env, BASELINE_JWT: '1' }, complete: false, unverified: false, node }
  ]
  const source: Launch[] = [
    ...baselines(process.execPath, process.version, {}, ''),
    { name: 'MentorMatchr', command: process.execPath, args: [...NODE_FLAGS, '--require', TSX, join(ROOT, 'server.ts'), 'serve'], env: app, complete: true, unverified: false, node: process.version }
  ]
  if (!executable) return source
  const embedded = embeddedNode()
  const version = execFileSync(resolve(executable), ['--version'], { encoding: 'utf8' })
  if (!version.includes(`Node.js ${embedded.version}`)) throw new Error(`${executable} says ${version.trim()}, not the embedded Node.js ${embedded.version}: build it again`)
  return [
    ...source,
    ...baselines(embedded.executable, embedded.version, { BASELINE_ADDON: join(betterSqliteAddon(embedded), 'better_sqlite3.node') }, ` on ${embedded.version}`),
    { name: 'executable', command: resolve(executable), args: ['serve'], env: app, complete: true, unverified: false, node: embedded.version }
  ]
}

async function main (): Promise<void> {
  const executable = process.argv[2]
  const folder = mkdtempSync(join(tmpdir(), 'mentormatchr-bench-'))
  const servers: Server[] = []
  // Even if the bench dies, the servers must not outlive it.
  process.on('exit', () => servers.forEach((server) => server.process.kill('SIGKILL')))
  try {
    const building = performance.now()
    const dataset = await createDataset(join(folder, 'bench.db'), SIZES)
    const counts = Object.entries(dataset.counts).map(([table, count]) => `${number(count)} ${table}`).join(', ')
    console.log(`dataset in ${((performance.now() - building) / 1000).toFixed(1)} s: ${counts}`)

    for (const launch of launches(executable)) servers.push(await start(servers, folder, launch))

    const login = await fetch(`${servers.find((server) => server.complete)!.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: dataset.email, password: dataset.password })
    })
    if (!login.ok) throw new Error(`login: ${login.status} ${await login.text()}`)
    const { token } = await login.json() as { token: string }
    const list = requests(dataset, { authorization: `Bearer ${token}` })
    const serves = (request: Request, server: Server) =>
      server.complete || (request.baseline && (!server.unverified || request.bare))

    const results = new Map<string, Measure[]>()
    for (let round = WARM_UP_SECONDS > 0 ? 0 : 1; round <= ROUNDS; round++) {
      const warmUp = round === 0
      console.log(warmUp ? 'warm-up' : `round ${round} of ${ROUNDS}`)
      for (const request of list) {
        // Alternating: each round starts with another server, so none always runs on a cooler machine.
        const order = servers.map((_, i) => servers[(i + round) % servers.length]!).filter((server) => serves(request, server))
        for (const server of order) {
          const result = await measure(`${request.name} on ${server.name}`, servers, server, { ...request.options(server), ...(warmUp && { duration: WARM_UP_SECONDS }) })
          if (warmUp) continue
          const key = `${request.name}|${server.name}`
          results.set(key, [...(results.get(key) ?? []), result])
          console.log(`  ${request.name} on ${server.name}: ${number(result.rps)} req/s, p99 ${result.p99} ms`)
        }
      }
    }

    const output = `${table(servers, list, results)}\n\n${await sustainedWrites(folder, servers, list)}`
    const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${number(totalmem() / 1024 ** 3)} GB RAM ` +
      `(${number(freemem() / 1024 ** 3)} GB free), node ${process.version}, load average ${loadavg().map((load) => load.toFixed(2)).join(' ')}`
    const malloc = Object.entries(MALLOC_ENVIRONMENT).map(([name, value]) => `${name}=${value}`).join(' ')
    const settings = `${CONNECTIONS} connections, ${SECONDS} s per run, median of ${ROUNDS} rounds; dataset: ${counts}; ` +
      `every server runs with ${malloc}, as npm start and the systemd unit run MentorMatchr.\n` +
      'Each cell: req/s of the median round (p50/p99 latency in ms, the share of the machine\'s CPU other processes used during that run), ' +
      'and the server\'s highest peak RSS in that request\'s runs; peak RSS: the highest of all, starting included; ' +
      'each ratio: the median of the rounds\' ratios.'
    console.log(`\n${output}\n\n${machine}\n${settings}`)
    writeFileSync(OUTPUT, `# Bench results\n\n\`npm run bench${executable ? ` -- ${executable}` : ''}\`, ${new Date().toISOString()}\n\n` +
      `Machine: ${machine}\n\n${settings}\n\n${output}\n`)
    console.log(`written to ${relative(process.cwd(), OUTPUT)}`)
  } finally {
    for (const server of servers) {
      const exited = once(server.process, 'exit')
      server.process.kill('SIGTERM')
      await exited
    }
    rmSync(folder, { recursive: true, force: true })
  }
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
