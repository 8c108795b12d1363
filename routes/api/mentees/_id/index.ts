import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Body, errors, IdParams, IncludeDeletedQuery } from '../../../schemas'
import { menteeProfiles } from '../resource'
import { MenteeRecord, MenteeUpdate } from '../schemas'

const menteeRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const profiles = menteeProfiles(fastify)

  fastify.get('/', {
    schema: {
      summary: 'A mentee profile of the organization',
      tags: ['mentees'],
      params: IdParams,
      querystring: IncludeDeletedQuery,
      response: { 200: MenteeRecord, ...errors(400, 401, 404) }
    }
  }, async (request) => profiles.read(request, request.params.id, request.query.include_deleted))

  fastify.put('/', {
    schema: {
      summary: 'Edit a mentee profile: its user all but the status, staff everything (approval, restore)',
      tags: ['mentees'],
      params: IdParams,
      body: Body(MenteeUpdate),
      response: { 200: MenteeRecord, ...errors(400, 401, 403, 404, 409) }
    }
  }, async (request) => {
    const wantedMentor = profiles.wantedMentorOf(request, request.body.wanted_mentor_id)
    return profiles.update(request, request.params.id, request.body, (mentee) => wantedMentor(mentee.organization_id))
  })

  fastify.delete('/', {
    schema: {
      summary: 'Soft-delete a mentee profile (its user or staff)',
      tags: ['mentees'],
      params: IdParams,
      response: { 200: MenteeRecord, ...errors(400, 401, 403, 404) }
    }
  }, async (request) => profiles.softDelete(request, request.params.id))
}

export default menteeRoutes
