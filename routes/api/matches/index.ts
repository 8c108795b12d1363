import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { eq } from 'drizzle-orm'
import { matches } from '../../../db/schema'
import { isStaff, requireStaff } from '../../../plugins/auth'
import { Body, errors, Id, ListQuery, sendList } from '../../schemas'
import { matchLifecycle } from './lifecycle'
import { matchParties } from './parties'
import { MatchDate, MatchRecord, MatchScore, MatchStatus } from './schemas'

const matchesRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const lifecycle = matchLifecycle(fastify.db)
  const parties = matchParties(fastify.db)

  fastify.get('/', {
    schema: {
      summary: "List matches: staff the organization's, a mentor or mentee their own",
      tags: ['matches'],
      querystring: ListQuery({
        status: Type.Optional(MatchStatus),
        mentor_id: Type.Optional(Id),
        mentee_id: Type.Optional(Id)
      }),
      response: { 200: Type.Array(MatchRecord), ...errors(400, 401) }
    }
  }, async (request, reply) => {
    const { tenant, user } = request
    const { status, mentor_id, mentee_id, ...page } = request.query
    const { rows, total } = tenant.matches.list({
      ...page,
      includeDeleted: tenant.includeDeleted(page.include_deleted),
      where: [
        isStaff(user) ? undefined : parties.matchesOf(user),
        status ? eq(matches.status, status) : undefined,
        mentor_id ? eq(matches.mentor_id, mentor_id) : undefined,
        mentee_id ? eq(matches.mentee_id, mentee_id) : undefined
      ]
    })
    return sendList(reply, { rows: rows.map(parties.present), total })
  })

  fastify.post('/', {
    schema: {
      summary: 'Match an AVAILABLE mentor with free capacity to an AVAILABLE mentee (staff); both are notified',
      tags: ['matches'],
      body: Body({
        mentor_id: Id,
        mentee_id: Id,
        match_score: Type.Optional(MatchScore),
        start_date: Type.Optional(MatchDate)
      }),
      response: { 201: MatchRecord, ...errors(400, 401, 403, 409) }
    }
  }, async (request, reply) => {
    requireStaff(request.user)
    const match = lifecycle.create(request.tenant, request.body)
    return reply.code(201).send(parties.present(match))
  })
}

export default matchesRoutes
