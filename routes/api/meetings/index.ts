import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { eq } from 'drizzle-orm'
import { meetings } from '../../../db/schema'
import { isStaff } from '../../../plugins/auth'
import { badRequest, conflict } from '../../../plugins/errors'
import { Body, errors, Id, ListQuery, sendList } from '../../schemas'
import { utc } from '../matches/schemas'
import { meetingAccess } from './access'
import { MeetingFields, MeetingRecord } from './schemas'

const meetingsRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const access = meetingAccess(fastify.db)

  fastify.get('/', {
    schema: {
      summary: "List meetings: staff the organization's, a mentor or mentee those of their matches",
      tags: ['meetings'],
      querystring: ListQuery({ match_id: Type.Optional(Id) }),
      response: { 200: Type.Array(MeetingRecord), ...errors(400, 401) }
    }
  }, async (request, reply) => {
    const { tenant, user } = request
    const { match_id, ...page } = request.query
    return sendList(reply, tenant.meetings.list({
      ...page,
      includeDeleted: tenant.includeDeleted(page.include_deleted),
      where: [
        isStaff(user) ? undefined : access.meetingsOf(user),
        match_id ? eq(meetings.match_id, match_id) : undefined
      ]
    }))
  })

  fastify.post('/', {
    schema: {
      summary: 'Record a meeting of a match (staff, or its mentor or mentee)',
      tags: ['meetings'],
      body: Body({ match_id: Id, ...MeetingFields }),
      response: { 201: MeetingRecord, ...errors(400, 401, 403, 409) }
    }
  }, async (request, reply) => {
    const { tenant } = request
    const { match_id, meeting_date, ...details } = request.body
    const match = tenant.matches.find(match_id)
    if (!match) throw badRequest('match_id does not name a match of your organization')
    access.mayActOnMatch(request.user, match.id)
    if (match.status === 'CANCELLED') throw conflict('The match is CANCELLED: no meeting can be added to it')
    const meeting = tenant.meetings.insert({
      ...details,
      organization_id: match.organization_id,
      match_id: match.id,
      meeting_date: utc(meeting_date)
    })
    return reply.code(201).send(meeting)
  })
}

export default meetingsRoutes
