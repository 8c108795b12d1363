import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Body, errorResponses, IdParams, IncludeDeletedQuery } from '../../../../schemas/common'
import { MentorRecord, MentorUpdate } from '../../../../schemas/mentors'

const mentorRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { mentors } = fastify.domain

  fastify.get('/', {
    config: { access: 'member' },
    schema: {
      summary: 'A mentor profile of the organization',
      tags: ['mentors'],
      params: IdParams,
      querystring: IncludeDeletedQuery,
      response: { 200: MentorRecord, ...errorResponses(400, 401, 404) }
    }
  }, async (request) => mentors.get(request.caller, request.params.id, request.query.include_deleted))

  fastify.put('/', {
    config: { access: 'member' },
    schema: {
      summary: 'Edit a mentor profile: its user all but the status, staff everything (approval, restore)',
      tags: ['mentors'],
      params: IdParams,
      body: Body(MentorUpdate),
      response: { 200: MentorRecord, ...errorResponses(400, 401, 403, 404, 409) }
    }
  }, async (request) => mentors.update(request.caller, request.params.id, request.body))

  fastify.delete('/', {
    config: { access: 'member' },
    schema: {
      summary: 'Soft-delete a mentor profile (its user or staff)',
      tags: ['mentors'],
      params: IdParams,
      response: { 200: MentorRecord, ...errorResponses(400, 401, 403, 404) }
    }
  }, async (request) => mentors.softDelete(request.caller, request.params.id))
}

export default mentorRoutes
