import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { MatchStatus } from '../../../db/schema'
import { MatchesQuery } from '../../../schemas/pages'
import { pageOf, viewOf } from '../../../web/layout'
import { matchesPage } from '../../../web/pages/staff'

const matches: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get('/', {
    config: { access: 'staff', page: true },
    schema: { summary: "Page: the organization's matches by status, to complete or cancel", tags: ['pages'], querystring: MatchesQuery }
  }, async (request, reply) => {
    const { status, page } = request.query
    const { rows, total } = fastify.domain.matches.list(request.caller, { status: (status || undefined) as MatchStatus | undefined, ...pageOf(page) })
    return reply.html(matchesPage(viewOf(request, reply), request.query, rows, total, {}))
  })
}

export default matches
