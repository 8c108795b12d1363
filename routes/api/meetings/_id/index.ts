import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { forbidden } from '../../../../plugins/errors'
import { Body, errors, IdParams, IncludeDeletedQuery } from '../../../schemas'
import { utc } from '../../matches/schemas'
import { meetingAccess } from '../access'
import { MeetingFields, MeetingRecord } from '../schemas'

const meetingRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const access = meetingAccess(fastify.db)

  fastify.get('/', {
    schema: {
      summary: 'A meeting (staff, or the mentor or mentee of its match)',
      tags: ['meetings'],
      params: IdParams,
      querystring: IncludeDeletedQuery,
      response: { 200: MeetingRecord, ...errors(400, 401, 403, 404) }
    }
  }, async (request) =>
    access.meetingFor(request, request.params.id, request.tenant.includeDeleted(request.query.include_deleted)))

  fastify.put('/', {
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
      response: { 200: MeetingRecord, ...errors(400, 401, 403, 404) }
    }
  }, async (request) => {
    const { tenant } = request
    const { meeting_date, deleted, ...details } = request.body
    const meeting = access.meetingFor(request, request.params.id, deleted === false && tenant.includeDeleted(true))
    if (deleted !== undefined && deleted !== meeting.deleted && !tenant.includeDeleted(true)) {
      throw forbidden('Only staff delete or restore meetings this way')
    }
    return tenant.meetings.update(meeting.id, {
      ...details,
      deleted,
      meeting_date: meeting_date === undefined ? undefined : utc(meeting_date)
    })
  })

  fastify.delete('/', {
    schema: {
      summary: 'Soft-delete a meeting (staff, or the mentor or mentee of its match)',
      tags: ['meetings'],
      params: IdParams,
      response: { 200: MeetingRecord, ...errors(400, 401, 403, 404) }
    }
  }, async (request) => {
    const meeting = access.meetingFor(request, request.params.id)
    return request.tenant.meetings.update(meeting.id, { deleted: true })
  })
}

export default meetingRoutes
