import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { isStaff, requireStaff } from '../../../../plugins/auth'
import { forbidden } from '../../../../plugins/errors'
import { Body, errors, Id, IdParams, IncludeDeletedQuery } from '../../../schemas'
import { matchLifecycle } from '../lifecycle'
import { matchParties } from '../parties'
import { CancelReason, MatchDate, MatchRecord, MatchScore, MatchStatus } from '../schemas'

const matchRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const lifecycle = matchLifecycle(fastify.db)
  const parties = matchParties(fastify.db)

  fastify.get('/', {
    schema: {
      summary: 'A match (staff, or its mentor or mentee)',
      tags: ['matches'],
      params: IdParams,
      querystring: IncludeDeletedQuery,
      response: { 200: MatchRecord, ...errors(400, 401, 403, 404) }
    }
  }, async (request) => {
    const { tenant, user } = request
    const match = tenant.matches.get(request.params.id, tenant.includeDeleted(request.query.include_deleted))
    if (!isStaff(user) && !parties.isPartyTo(user, match.id)) throw forbidden()
    return parties.present(match)
  })

  fastify.put('/', {
    schema: {
      summary: 'Change, end, resume, re-point or restore a match (staff); capacity, statuses and notifications follow',
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
      response: { 200: MatchRecord, ...errors(400, 401, 403, 404, 409) }
    }
  }, async (request) => {
    const { tenant } = request
    const match = tenant.matches.get(request.params.id, request.body.deleted === false && tenant.includeDeleted(true))
    requireStaff(request.user)
    return parties.present(lifecycle.update(tenant, match.id, request.body))
  })

  fastify.delete('/', {
    schema: {
      summary: 'Soft-delete a match (staff): frees the capacity it held; both people are notified',
      tags: ['matches'],
      params: IdParams,
      response: { 200: MatchRecord, ...errors(400, 401, 403, 404) }
    }
  }, async (request) => {
    const { tenant } = request
    const match = tenant.matches.get(request.params.id)
    requireStaff(request.user)
    return parties.present(lifecycle.softDelete(tenant, match.id))
  })
}

export default matchRoutes
