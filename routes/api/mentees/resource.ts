import type { FastifyInstance, FastifyRequest } from 'fastify'
import { badRequest } from '../../../plugins/errors'
import { ownedResource, userSummaries } from '../profiles'

export function menteeProfiles (fastify: FastifyInstance) {
  const summaryOf = userSummaries(fastify)
  const profiles = ownedResource(fastify, {
    store: (tenant) => tenant.mentees,
    present: (row) => ({ ...row, user: summaryOf(row.user_id) }),
    duplicate: ({ user_id }) => `User ${user_id} already has a mentee profile (a deleted one can be restored by staff)`,
    promotesTo: 'MENTEE'
  })

  /** The wanted mentor must be a live mentor profile of the mentee's own organization. */
  function wantedMentorOf (request: FastifyRequest, wantedMentorId: number | null | undefined) {
    return (organizationId: number) => {
      if (wantedMentorId == null) return
      const mentor = request.tenant.mentors.find(wantedMentorId)
      if (mentor?.organization_id !== organizationId) {
        throw badRequest(`wanted_mentor_id: there is no mentor profile ${wantedMentorId} in this organization`)
      }
    }
  }

  return { ...profiles, wantedMentorOf }
}
