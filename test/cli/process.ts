import { type ChildProcess, spawn, type SpawnOptions } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Test } from 'tap'
import { NODE_FLAGS } from '../../commands/node-flags'

export const ROOT = join(__dirname, '..', '..')

/**
 * `npm run <command>` in a clone: server.ts, the one entry of the server and its commands, run with
 * tsx's hooks, as the tsx command does, minus its second process: here signals reach the server itself.
 * With the flags `npm start` gives Node.js, so that a test measures the server as it runs.
 */
const TSX = join(ROOT, 'node_modules', 'tsx', 'dist')
export const SOURCE = [
  process.execPath, ...NODE_FLAGS, '--require', join(TSX, 'preflight.cjs'), '--import', pathToFileURL(join(TSX, 'loader.mjs')).href, join(ROOT, 'server.ts')
]

/** A fresh folder, removed when the test ends. */
export function temporaryFolder (t: Test, name: string): string {
  const folder = mkdtempSync(join(tmpdir(), `mentormatchr-${name}-`))
  t.teardown(() => rmSync(folder, { recursive: true, force: true }))
  return folder
}

/**
 * The environment a child gets: tap's NODE_OPTIONS (its TypeScript loader and coverage hooks) stay
 * out, since the single executable obeys NODE_OPTIONS too, and so do settings of the developer's shell.
 */
export function childEnvironment (variables: Record<string, string>): NodeJS.ProcessEnv {
  const { NODE_OPTIONS: _options, NODE_V8_COVERAGE: _coverage, DATABASE_PATH: _path, PORT: _port, HOST: _host, ...rest } = process.env
  return { ...rest, LOG_LEVEL: 'info', ...variables }
}

/**
 * Spawns through `env -u NODE_OPTIONS`: tap wraps child_process to hand every child its hooks in
 * NODE_OPTIONS, and a child running tsx would then report coverage of tsx's compiled code, which
 * merged with the suite's own turns the whole report to a false 100%. The children's code is covered
 * in-process instead.
 */
function spawnClean (command: string[], args: string[], options: Omit<SpawnOptions, 'stdio'>) {
  return spawn('env', ['-u', 'NODE_OPTIONS', ...command, ...args], { ...options, stdio: ['ignore', 'pipe', 'pipe'] })
}

export interface Finished {
  code: number | null
  stdout: string
  stderr: string
}

export interface RunOptions {
  cwd: string
  env?: Record<string, string>
}

/** Runs `command` to its end; answers its exit code and output. */
export async function run (command: string[], args: string[], { cwd, env = {} }: RunOptions): Promise<Finished> {
  const child = spawnClean(command, args, { cwd, env: childEnvironment(env) })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk) => { stdout += chunk })
  child.stderr.on('data', (chunk) => { stderr += chunk })
  const [code] = await once(child, 'close') as [number | null]
  return { code, stdout, stderr }
}

export interface Started {
  child: ChildProcess
  url: string
  /** Everything it printed so far. */
  output: () => string
  /** SIGTERM, then its exit code. */
  stop: () => Promise<number | null>
}

/** Starts `command serve` on a free port of 127.0.0.1; answers once it listens. */
export async function start (t: Test, command: string[], { cwd, env = {} }: RunOptions): Promise<Started> {
  const child = spawnClean(command, ['serve'], {
    cwd, env: childEnvironment({ HOST: '127.0.0.1', PORT: '0', ...env })
  })
  t.teardown(() => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL') })
  let output = ''
  child.stderr.on('data', (chunk) => { output += chunk })
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      output += chunk
      const listening = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output)
      if (listening) resolve(listening[1]!)
    })
    child.once('exit', (code) => reject(new Error(`the server exited with ${code} before listening: ${output}`)))
  })
  return {
    child,
    url,
    output: () => output,
    stop: async () => {
      const exited = once(child, 'exit')
      child.kill('SIGTERM')
      const [code] = await exited as [number | null]
      return code
    }
  }
}

/** fetch with a JSON body in and out. */
export async function request (url: string, init: { method?: string, body?: unknown, headers?: Record<string, string> } = {}) {
  const response = await fetch(url, {
    method: init.method ?? 'GET',
    headers: { ...(init.body === undefined ? {} : { 'content-type': 'application/json' }), ...init.headers },
    body: init.body === undefined ? undefined : JSON.stringify(init.body)
  })
  const text = await response.text()
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined }
}
