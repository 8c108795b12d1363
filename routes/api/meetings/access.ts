import { inArray, type SQL } from 'drizzle-orm'
import type { FastifyRequest } from 'fastify'
import { matches, meetings } from '../../../db/schema'
import { isStaff, type User } from '../../../plugins/auth'
import type { Db } from '../../../plugins/database'
import { forbidden } from '../../../plugins/errors'
import { matchParties } from '../matches/parties'

/** Staff of the organization, and the mentor and mentee of a match, act on that match's meetings. */
export function meetingAccess (db: Db) {
  const parties = matchParties(db)

  function mayActOnMatch (user: User, matchId: number): void {
    if (!isStaff(user) && !parties.isPartyTo(user, matchId)) throw forbidden()
  }

  return {
    mayActOnMatch,

    /** The meeting, once the caller is known to be staff or a party of its match. */
    meetingFor (request: FastifyRequest, id: number, includeDeleted = false) {
      const meeting = request.tenant.meetings.get(id, includeDeleted)
      mayActOnMatch(request.user, meeting.match_id)
      return meeting
    },

    /** What a caller who is not staff may list: the meetings of their own matches. */
    meetingsOf (user: User): SQL {
      return inArray(meetings.match_id, db.select({ id: matches.id }).from(matches).where(parties.matchesOf(user)))
    }
  }
}
