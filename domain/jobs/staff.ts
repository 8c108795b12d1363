import { and, eq, inArray, sql } from 'drizzle-orm'
import { users } from '../../db/schema'
import type { Notice } from '../outbox'
import { preparedOnFirstUse } from '../prepared'
import type { Store } from '../tenancy'

/**
 * Who hears of what needs staff's attention: the live OWNERs and MANAGERs of one organization.
 * Answers a builder of their notices, each about `about` (a match, a person).
 */
export function staffNotices ({ db }: Store) {
  const staffOf = preparedOnFirstUse(() => db.select({ id: users.id }).from(users).where(and(
    eq(users.organization_id, sql.placeholder('organization')),
    inArray(users.role, ['OWNER', 'MANAGER']),
    eq(users.deleted, false)
  )).prepare())
  return (organizationId: number, content: string, about: Pick<Notice, 'match_id' | 'about_user_id'>): Notice[] =>
    staffOf.all({ organization: organizationId })
      .map(({ id }) => ({ organization_id: organizationId, user_id: id, content, ...about }))
}
