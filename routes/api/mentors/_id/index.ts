import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Body, errors, IdParams, IncludeDeletedQuery } from '../../../schemas'
import { mentorProfiles } from '../resource'
import { MentorRecord, MentorUpdate } from '../schemas'

const mentorRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const profiles = mentorProfiles(fastify)

  fastify.get('/', {
    schema: {
      summary: 'A mentor profile of the organization',
      tags: ['mentors'],
      params: IdParams,
      querystring: IncludeDeletedQuery,
      response: { 200: MentorRecord, ...errors(400, 401, 404) }
    }
  }, async (request) => profiles.read(request, request.params.id, request.query.include_deleted))

  fastify.put('/', {
    schema: {
      summary: 'Edit a mentor profile: its user all but the status, staff everything (approval, restore)',
      tags: ['mentors'],
      params: IdParams,
      body: Body(MentorUpdate),
      response: { 200: MentorRecord, ...errors(400, 401, 403, 404, 409) }
    }
  }, async (request) =>
    profiles.update(request, request.params.id, request.body, profiles.capacityKeepsMatches(request.body.capacity)))

  fastify.delete('/', {
    schema: {
      summary: 'Soft-delete a mentor profile (its user or staff)',
      tags: ['mentors'],
      params: IdParams,
      response: { 200: MentorRecord, ...errors(400, 401, 403, 404) }
    }
  }, async (request) => profiles.softDelete(request, request.params.id))
}

export default mentorRoutes
