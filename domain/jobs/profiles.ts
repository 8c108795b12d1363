import { and, eq, sql } from 'drizzle-orm'
import { mentees, mentors, organizations, users } from '../../db/schema'
import { wholeDaysSince } from '../dates'
import { notify } from '../notifications'
import { preparedOnFirstUse } from '../prepared'
import { immediately, type Store } from '../tenancy'
import type { Deeds } from './deeds'
import { JOB_MESSAGES, nameOf } from './messages'
import { staffNotices } from './staff'

/** Staff hear of mentor and mentee profiles left PENDING (waiting for approval). */
export function createProfileJobs (store: Store, deeds: Deeds) {
  const { db, clock } = store
  const pendingOf = (profiles: typeof mentors | typeof mentees) => db.select({
    id: profiles.id,
    organization_id: profiles.organization_id,
    created_at: profiles.created_at,
    pendingDays: organizations.pending_profile_days,
    user: { id: users.id, first_name: users.first_name, last_name: users.last_name, email: users.email }
  }).from(profiles)
    .innerJoin(organizations, eq(organizations.id, profiles.organization_id))
    .innerJoin(users, eq(users.id, profiles.user_id))
    // Across organizations, each with its own threshold.
    .where(and(eq(profiles.status, 'PENDING'), eq(profiles.deleted, false),
      sql`julianday(${sql.placeholder('now')}) - julianday(${profiles.created_at}) >= ${organizations.pending_profile_days}`))
    .orderBy(profiles.id).prepare()
  const pending = { mentor: preparedOnFirstUse(() => pendingOf(mentors)), mentee: preparedOnFirstUse(() => pendingOf(mentees)) }
  const toStaff = staffNotices(store)

  return {
    /**
     * A profile PENDING for `pending_profile_days` since it was made: its organization's staff are
     * told once (a profile approved and set back to PENDING later is not reported again).
     */
    reportPending (): number {
      const now = clock.now()
      // The profiles are read in the transaction that reports them: one approved or deleted by
      // another process meanwhile is not reported.
      return immediately(store, () => {
        let reported = 0
        for (const side of ['mentor', 'mentee'] as const) {
          for (const profile of pending[side].all({ now: now.toISOString() })) {
            if (!deeds.firstTime({ organization_id: profile.organization_id, job: `report-pending-${side}`, subject_id: profile.id })) continue
            const content = JOB_MESSAGES.pendingProfile(side, nameOf(profile.user), wholeDaysSince(profile.created_at, now))
            notify(store, toStaff(profile.organization_id, content, { about_user_id: profile.user.id }))
            reported++
          }
        }
        return reported
      })
    }
  }
}
