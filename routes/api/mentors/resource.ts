import type { FastifyInstance } from 'fastify'
import { conflict } from '../../../plugins/errors'
import { activeMatchCounter } from '../matches/capacity'
import { ownedResource, userSummaries } from '../profiles'

export function mentorProfiles (fastify: FastifyInstance) {
  const summaryOf = userSummaries(fastify)
  const activeMatches = activeMatchCounter(fastify.db)
  const profiles = ownedResource(fastify, {
    store: (tenant) => tenant.mentors,
    present: (row) => ({ ...row, user: summaryOf(row.user_id), active_matches: activeMatches(row.id) }),
    duplicate: ({ user_id }) => `User ${user_id} already has a mentor profile (a deleted one can be restored by staff)`,
    promotesTo: 'MENTOR'
  })

  /** A mentor cannot be given less room than the mentees it already holds. */
  function capacityKeepsMatches (capacity: number | undefined) {
    return (mentor: { id: number }) => {
      const held = activeMatches(mentor.id)
      if (capacity !== undefined && capacity < held) {
        throw conflict(`capacity ${capacity} is below the ${held} active matches of this mentor: end a match first`)
      }
    }
  }

  return { ...profiles, capacityKeepsMatches }
}
