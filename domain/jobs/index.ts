import type { Store } from '../tenancy'
import type { Email } from '../email'
import type { Matches } from '../matches'
import type { Requests } from '../requests'
import { createDeeds } from './deeds'
import { createMatchJobs, type JobLog } from './matches'
import { createProfileJobs } from './profiles'

/**
 * A scheduled job. `run` does what is due at the domain's clock (`store.clock.now()`, never
 * `new Date()`), across every organization with each organization's own settings, and answers how
 * many things it did. It must be idempotent: what it did is recorded (job_records, in the IMMEDIATE
 * transaction of the effect: see deeds.ts, or a status it moves forward), so running it twice, in two
 * processes, or after a restart does nothing twice. It may throw: the runner logs the failure and
 * runs the next job.
 */
export interface Job {
  /** Its name in the logs and in `run-jobs --once`'s output. */
  readonly name: string
  run (): number | Promise<number>
}

export interface JobReport {
  job: string
  /** How many things it did; absent when it failed. */
  done?: number
  error?: string
  milliseconds: number
}

/** The modules whose work the jobs do. */
export interface JobModules {
  matches: Matches
  requests: Requests
  email: Email
}

/**
 * Every scheduled job, in the order each run takes them: ADDING A JOB IS ONE LINE HERE. Ended
 * matches are completed before the quiet ones are nudged, and email goes last, so that what the
 * jobs wrote goes out in the same run.
 */
function jobsOf (store: Store, modules: JobModules, log: JobLog): Job[] {
  const deeds = createDeeds(store)
  const matchJobs = createMatchJobs(store, deeds, modules.matches, log)
  const profileJobs = createProfileJobs(store, deeds)
  return [
    { name: 'complete-ended-matches', run: matchJobs.completeEnded },
    { name: 'nudge-inactive-matches', run: matchJobs.nudgeInactive },
    { name: 'report-pending-profiles', run: profileJobs.reportPending },
    { name: 'expire-requests', run: modules.requests.expireOverdue },
    { name: 'remind-waiting-requests', run: modules.requests.remindWaiting },
    { name: 'send-email', run: modules.email.sendDue },
    { name: 'send-email-digests', run: modules.email.sendDigests }
  ]
}

/** The scheduled jobs, and one run of them all: what the scheduler's tick and `run-jobs --once` do. */
export function createJobs (store: Store, modules: JobModules, log: JobLog) {
  const list = jobsOf(store, modules, log)
  return {
    list,

    /** Runs every job once, in order; a job that fails is logged and reported, and the others still run. */
    async runAll (): Promise<JobReport[]> {
      const reports: JobReport[] = []
      for (const job of list) {
        const started = performance.now()
        try {
          const done = await job.run()
          reports.push({ job: job.name, done, milliseconds: performance.now() - started })
        } catch (error) {
          log.error({ err: error, job: job.name }, `the scheduled job ${job.name} failed`)
          reports.push({ job: job.name, error: (error as Error).message, milliseconds: performance.now() - started })
        }
      }
      return reports
    }
  }
}

export type Jobs = ReturnType<typeof createJobs>
