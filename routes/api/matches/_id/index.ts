import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Body, errorResponses, Id, IdParams, IncludeDeletedQuery } from '../../../../schemas/common'
import { CancelReason, MatchDate, MatchRecord, MatchScore, MatchStatus } from '../../../../schemas/matches'

const matchRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { matches } = fastify.domain

  fastify.get('/', {
    config: { access: 'member' },
    schema: {
      summary: 'A match (staff, or its mentor or mentee)',
      tags: ['matches'],
      params: IdParams,
      querystring: IncludeDeletedQuery,
      response: { 200: MatchRecord, ...errorResponses(400, 401, 403, 404) }
    }
  }, async (request) => matches.get(request.caller, request.params.id, request.query.include_deleted))

  fastify.put('/', {
    config: { access: 'staff' },
    schema: {
      summary: 'Change, end, resume, re-point or restore a match; capacity, statuses and notifications follow',
      tags: ['matches'],
      params: IdParams,
      body: Body({
        status: Type.Optional(MatchStatus),
        mentor_id: Type.Optional(Id),
        mentee_id: Type.Optional(Id),
        match_score: Type.Optional(MatchScore),
        start_date: Type.Optional(MatchDate),
        end_date: Type.Optional(MatchDate),
        cancel_reason: Type.Optional(CancelReason),
        deleted: Type.Optional(Type.Boolean({ description: 'false restores a soft-deleted match' }))
      }),
      response: { 200: MatchRecord, ...errorResponses(400, 401, 403, 404, 409) }
    }
  }, async (request) => matches.update(request.caller, request.params.id, request.body))

  fastify.delete('/', {
    config: { access: 'staff' },
    schema: {
      summary: 'Soft-delete a match: frees the capacity it held; both people are notified',
      tags: ['matches'],
      params: IdParams,
      response: { 200: MatchRecord, ...errorResponses(400, 401, 403, 404) }
    }
  }, async (request) => matches.softDelete(request.caller, request.params.id))
}

export default matchRoutes
