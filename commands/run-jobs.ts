import type { FastifyInstance } from 'fastify'
import { CommandError } from './errors'

/**
 * `run-jobs --once`: the scheduled jobs, run once as the server's scheduler runs them, for those who
 * prefer cron (then set JOBS_INTERVAL_MINUTES=0 for the server). Answers one line per job; a job that
 * failed makes the command fail (exit 1) after the others have run.
 */
export async function runJobsOnce (app: FastifyInstance): Promise<string[]> {
  const reports = await app.domain.jobs.runAll()
  const lines = reports.map(({ job, done, error, milliseconds }) => error === undefined
    ? `${job}: ${done} done (${Math.round(milliseconds)} ms)`
    : `${job}: FAILED: ${error}`)
  const failed = reports.filter((report) => report.error !== undefined)
  if (failed.length > 0) throw new CommandError([...lines, `${failed.length} of ${reports.length} jobs failed`].join('\n'))
  return lines
}
