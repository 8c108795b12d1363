import fp from 'fastify-plugin'
import type { JobReport } from '../domain/jobs'

/** Each wait is the interval give or take a fifth, so that servers started together drift apart. */
const jittered = (interval: number) => interval * (0.8 + 0.4 * Math.random())

/**
 * Runs the scheduled jobs (domain/jobs) inside the server: one run every JOBS_INTERVAL_MINUTES,
 * jittered, the next wait starting only when a run has finished, so runs never overlap. Only
 * `serve` turns it on (`run: true`); the tests and the other commands build the app without it,
 * and JOBS_INTERVAL_MINUTES=0 turns it off (for those who run `run-jobs --once` from cron).
 * Closing the app stops it, after the run in progress.
 */
export default fp<{ run?: boolean }>(async function scheduler (fastify, { run = false }) {
  const minutes = fastify.config.JOBS_INTERVAL_MINUTES
  if (!run || minutes === 0) return
  const interval = minutes * 60_000
  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> | undefined
  let stopped = false

  async function tick (): Promise<void> {
    const reports: JobReport[] = await fastify.domain.jobs.runAll()
    const did = reports.filter((report) => report.done)
    if (did.length > 0) fastify.log.info({ jobs: did }, 'the scheduled jobs did their work')
    else fastify.log.debug({ jobs: reports }, 'the scheduled jobs found nothing to do')
  }

  function schedule (): void {
    timer = setTimeout(() => {
      running = tick()
        .catch((error: unknown) => fastify.log.error({ err: error }, 'the scheduled jobs failed'))
        .finally(() => {
          running = undefined
          if (!stopped) schedule()
        })
    }, jittered(interval))
  }

  fastify.addHook('onReady', async () => {
    fastify.log.info({ minutes }, `the scheduled jobs run about every ${minutes} minutes`)
    schedule()
  })
  fastify.addHook('onClose', async () => {
    stopped = true
    clearTimeout(timer)
    await running
  })
}, { name: 'scheduler', dependencies: ['config', 'domain'] })
