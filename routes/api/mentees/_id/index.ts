import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Body, errorResponses, IdParams, IncludeDeletedQuery } from '../../../../schemas/common'
import { MenteeRecord, MenteeUpdate } from '../../../../schemas/mentees'

const menteeRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { mentees } = fastify.domain

  fastify.get('/', {
    config: { access: 'member' },
    schema: {
      summary: 'A mentee profile of the organization',
      tags: ['mentees'],
      params: IdParams,
      querystring: IncludeDeletedQuery,
      response: { 200: MenteeRecord, ...errorResponses(400, 401, 404) }
    }
  }, async (request) => mentees.get(request.caller, request.params.id, request.query.include_deleted))

  fastify.put('/', {
    config: { access: 'member' },
    schema: {
      summary: 'Edit a mentee profile: its user all but the status, staff everything (approval, restore)',
      tags: ['mentees'],
      params: IdParams,
      body: Body(MenteeUpdate),
      response: { 200: MenteeRecord, ...errorResponses(400, 401, 403, 404, 409) }
    }
  }, async (request) => mentees.update(request.caller, request.params.id, request.body))

  fastify.delete('/', {
    config: { access: 'member' },
    schema: {
      summary: 'Soft-delete a mentee profile (its user or staff)',
      tags: ['mentees'],
      params: IdParams,
      response: { 200: MenteeRecord, ...errorResponses(400, 401, 403, 404) }
    }
  }, async (request) => mentees.softDelete(request.caller, request.params.id))
}

export default menteeRoutes
