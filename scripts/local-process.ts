import type { ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'

/** A port of 127.0.0.1 free right now, for a server the bench or the soak starts. */
export async function freePort (): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1')
  await once(probe, 'listening')
  const { port } = probe.address() as { port: number }
  await new Promise((resolve) => probe.close(resolve))
  return port
}

/**
 * Waits until the server `child` started answers a 200 at `url`/health, checking every 5 ms (the
 * bench times starts with it); fails as soon as the process exits, or after a minute.
 */
export async function untilHealthy (url: string, child: ChildProcess, name: string): Promise<void> {
  const deadline = performance.now() + 60_000
  while (!(await fetch(`${url}/health`).then((response) => response.ok, () => false))) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode} before answering /health`)
    if (performance.now() > deadline) throw new Error(`${name} did not answer /health within a minute`)
    await sleep(5)
  }
}

/**
 * A process's memory from Linux's /proc, in MB: `VmRSS` resident now, `VmHWM` its peak so far, and
 * of what is resident now, `RssFile` the pages of files it maps (its program, which a single
 * executable makes large) and `RssAnon` the rest (its heaps).
 */
export const memoryMb = (pid: number, measure: 'VmRSS' | 'VmHWM' | 'RssAnon' | 'RssFile'): number =>
  Number(new RegExp(`${measure}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024

/**
 * Starts a process's `VmHWM` afresh from what it holds now (Linux 4.0 and later), so that the next
 * reading is the peak of what happened in between: the peak of one run of the bench, not of all.
 */
export const resetPeakMemory = (pid: number): void => writeFileSync(`/proc/${pid}/clear_refs`, '5')
