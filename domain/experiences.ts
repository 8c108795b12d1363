import { eq } from 'drizzle-orm'
import { experiences } from '../db/schema'
import type { Caller } from './caller'
import { ownedRecords, type PageQuery } from './owned-records'
import type { Store } from './tenancy'

export type Experience = typeof experiences.$inferSelect

/** A person's skills and background, by name: their own to manage, and staff's. */
export function createExperiences (store: Store) {
  const records = ownedRecords(store, {
    table: store.tables.experiences,
    presentPage: (rows) => rows,
    duplicate: ({ user_id, name }) => `User ${user_id} already has an experience named "${String(name)}"`
  })

  return {
    ...records,

    list (caller: Caller, { user_id, ...page }: PageQuery & { user_id?: number }) {
      return records.list(caller, page, [user_id ? eq(experiences.user_id, user_id) : undefined])
    },

    create (caller: Caller, input: { user_id?: number, name: string }) {
      return records.create(caller, input)
    }
  }
}

export type Experiences = ReturnType<typeof createExperiences>
