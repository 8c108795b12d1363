import { and, eq, sql } from 'drizzle-orm'
import { jobRecords } from '../../db/schema'
import type { Store } from '../tenancy'

/** One thing a job does once: which job, to what, and (for deeds that repeat) in which period. */
export interface Deed {
  organization_id: number
  job: string
  subject_id: number
  /** Tells repeats apart (the inactive match nudged again a period later); '' for a deed done once. */
  period?: string
}

/** What the scheduled jobs have done (the job_records table), so that none does anything twice. */
export function createDeeds ({ db, clock }: Store) {
  const recorded = db.select({ id: jobRecords.id }).from(jobRecords).where(and(
    eq(jobRecords.job, sql.placeholder('job')),
    eq(jobRecords.subject_id, sql.placeholder('subject_id')),
    eq(jobRecords.period, sql.placeholder('period'))
  )).prepare()

  return {
    /** A cheap look before taking the write lock: most due deeds were done by an earlier run. */
    done: ({ job, subject_id, period = '' }: Deed): boolean => recorded.all({ job, subject_id, period }).length > 0,

    /**
     * Records the deed unless it was done already, and says whether it is new. Called inside the
     * IMMEDIATE transaction that does the deed: the record and the effect commit together or not at
     * all, so a job run twice, in two processes at once, or again after a restart does each deed once.
     */
    firstTime: (deed: Deed): boolean => db.insert(jobRecords).values({ ...deed, done_at: clock.now().toISOString() })
      .onConflictDoNothing().returning({ id: jobRecords.id }).all().length > 0
  }
}

export type Deeds = ReturnType<typeof createDeeds>
