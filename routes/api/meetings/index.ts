import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Body, errorResponses, Id, ListQuery, sendList } from '../../../schemas/common'
import { MeetingFields, MeetingRecord } from '../../../schemas/meetings'

const meetingsRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { meetings } = fastify.domain

  fastify.get('/', {
    config: { access: 'member' },
    schema: {
      summary: "List meetings: staff the organization's, a mentor or mentee those of their matches",
      tags: ['meetings'],
      querystring: ListQuery({ match_id: Type.Optional(Id) }),
      response: { 200: Type.Array(MeetingRecord), ...errorResponses(400, 401) }
    }
  }, async (request, reply) => sendList(reply, meetings.list(request.caller, request.query)))

  fastify.post('/', {
    config: { access: 'member' },
    schema: {
      summary: 'Record a meeting of a match (staff, or its mentor or mentee)',
      tags: ['meetings'],
      body: Body({ match_id: Id, ...MeetingFields }),
      response: { 201: MeetingRecord, ...errorResponses(400, 401, 403, 409) }
    }
  }, async (request, reply) => reply.code(201).send(meetings.create(request.caller, request.body)))
}

export default meetingsRoutes
