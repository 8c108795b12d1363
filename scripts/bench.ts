/**
 * `npm run bench [-- <executable>]`: autocannon against a server started for the occasion on
 * 127.0.0.1 (the source with tsx, or the single executable named), on a fresh database in a
 * temporary folder: GET /health, then GET /api/users/current_user with a token.
 * BENCH_SECONDS (default 10) per route and BENCH_CONNECTIONS (default 10); LOG_LEVEL (default warn).
 */
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import autocannon from 'autocannon'

const ROOT = resolve(__dirname, '..')
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10)
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10)

async function freePort (): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1')
  await new Promise((resolve) => probe.once('listening', resolve))
  const { port } = probe.address() as { port: number }
  await new Promise((resolve) => probe.close(resolve))
  return port
}

async function main (): Promise<void> {
  const executable = process.argv[2]
  const folder = mkdtempSync(join(tmpdir(), 'mentormatchr-bench-'))
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const [command, ...args] = executable
    ? [resolve(executable), 'serve']
    : [process.execPath, join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(ROOT, 'server.ts'), 'serve']
  const server = spawn(command!, args, {
    cwd: folder,
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), DATABASE_PATH: join(folder, 'bench.db'), LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' },
    stdio: ['ignore', 'inherit', 'inherit']
  })
  try {
    while (!(await fetch(`${url}/health`).then((response) => response.ok, () => false))) {
      if (server.exitCode !== null) throw new Error(`the server exited with ${server.exitCode}`)
      await sleep(50)
    }
    const registered = await fetch(`${url}/api/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ organization_name: 'Bench', email: 'bench@example.com', password: 'benchmark password' })
    })
    const { token } = await registered.json() as { token: string }

    console.log(`${executable ?? 'server.ts (tsx)'}, ${CONNECTIONS} connections, ${SECONDS} s per route, node ${process.version}`)
    for (const [path, headers] of [['/health', {}], ['/api/users/current_user', { authorization: `Bearer ${token}` }]] as const) {
      const result = await autocannon({ url: `${url}${path}`, headers, connections: CONNECTIONS, duration: SECONDS })
      if (result.non2xx > 0 || result.errors > 0) throw new Error(`GET ${path}: ${result.non2xx} non-2xx answers, ${result.errors} errors`)
      console.log(`GET ${path}: ${Math.round(result.requests.average)} requests/s, latency p50 ${result.latency.p50} ms, ` +
        `p99 ${result.latency.p99} ms, ${result.requests.total} requests`)
    }
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
