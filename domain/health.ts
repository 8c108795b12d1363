import type { Store } from './tenancy'

/** Whether the database answers: one statement that reads nothing, prepared once. */
export function createHealth ({ db }: Store) {
  const ping = db.$client.prepare('SELECT 1')
  return {
    /** Throws what the database says when it cannot answer (closed, its file gone). */
    checkDatabase (): void {
      ping.get()
    }
  }
}
