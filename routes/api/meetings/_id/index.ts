import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Body, errorResponses, IdParams, IncludeDeletedQuery } from '../../../../schemas/common'
import { MeetingFields, MeetingRecord } from '../../../../schemas/meetings'

const meetingRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { meetings } = fastify.domain

  fastify.get('/', {
    config: { access: 'member' },
    schema: {
      summary: 'A meeting (staff, or the mentor or mentee of its match)',
      tags: ['meetings'],
      params: IdParams,
      querystring: IncludeDeletedQuery,
      response: { 200: MeetingRecord, ...errorResponses(400, 401, 403, 404) }
    }
  }, async (request) => meetings.get(request.caller, request.params.id, request.query.include_deleted))

  fastify.put('/', {
    config: { access: 'member' },
    schema: {
      summary: 'Edit a meeting (staff, or the mentor or mentee of its match); staff also restore one',
      tags: ['meetings'],
      params: IdParams,
      body: Body({
        meeting_date: Type.Optional(MeetingFields.meeting_date),
        location: Type.Optional(MeetingFields.location),
        notes: MeetingFields.notes,
        rating: MeetingFields.rating,
        deleted: Type.Optional(Type.Boolean({ description: 'Staff: false restores a soft-deleted meeting' }))
      }),
      response: { 200: MeetingRecord, ...errorResponses(400, 401, 403, 404) }
    }
  }, async (request) => meetings.update(request.caller, request.params.id, request.body))

  fastify.delete('/', {
    config: { access: 'member' },
    schema: {
      summary: 'Soft-delete a meeting (staff, or the mentor or mentee of its match)',
      tags: ['meetings'],
      params: IdParams,
      response: { 200: MeetingRecord, ...errorResponses(400, 401, 403, 404) }
    }
  }, async (request) => meetings.softDelete(request.caller, request.params.id))
}

export default meetingRoutes
