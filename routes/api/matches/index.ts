import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Body, errorResponses, Id, ListQuery, sendList } from '../../../schemas/common'
import { MatchDate, MatchRecord, MatchScore, MatchStatus } from '../../../schemas/matches'

const matchesRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { matches } = fastify.domain

  fastify.get('/', {
    config: { access: 'member' },
    schema: {
      summary: "List matches: staff the organization's, a mentor or mentee their own",
      tags: ['matches'],
      querystring: ListQuery({
        status: Type.Optional(MatchStatus),
        mentor_id: Type.Optional(Id),
        mentee_id: Type.Optional(Id)
      }),
      response: { 200: Type.Array(MatchRecord), ...errorResponses(400, 401) }
    }
  }, async (request, reply) => sendList(reply, matches.list(request.caller, request.query)))

  fastify.post('/', {
    config: { access: 'staff' },
    schema: {
      summary: 'Match an AVAILABLE mentor with free capacity to an AVAILABLE mentee; both are notified',
      tags: ['matches'],
      body: Body({
        mentor_id: Id,
        mentee_id: Id,
        match_score: Type.Optional(MatchScore),
        start_date: Type.Optional(MatchDate)
      }),
      response: { 201: MatchRecord, ...errorResponses(400, 401, 403, 409) }
    }
  }, async (request, reply) => reply.code(201).send(matches.create(request.caller, request.body)))
}

export default matchesRoutes
