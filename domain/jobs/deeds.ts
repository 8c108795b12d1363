import { sql } from 'drizzle-orm'
import { jobRecords } from '../../db/schema'
import { preparedOnFirstUse } from '../prepared'
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
  const record = preparedOnFirstUse(() => db.insert(jobRecords).values({
    organization_id: sql.placeholder('organization_id'),
    job: sql.placeholder('job'),
    subject_id: sql.placeholder('subject_id'),
    period: sql.placeholder('period'),
    done_at: sql.placeholder('done_at')
  }).onConflictDoNothing().returning({ id: jobRecords.id }).prepare())

  return {
    /**
     * Records the deed unless it was done already, and says whether it is new. Called inside the
     * IMMEDIATE transaction that does the deed: the record and the effect commit together or not at
     * all, so a job run twice, in two processes at once, or again after a restart does each deed once.
     */
    firstTime: ({ period = '', ...deed }: Deed): boolean =>
      record.all({ ...deed, period, done_at: clock.now().toISOString() }).length > 0
  }
}

export type Deeds = ReturnType<typeof createDeeds>
