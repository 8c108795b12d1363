import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { PageQuery } from '../../../../schemas/pages'
import { pageOf, viewOf } from '../../../../web/layout'
import { incomingRequestsPage, type IncomingState, ownProfile, withNames } from '../../../../web/pages/requests'

// The open requests a mentor answers: a mentor with free places is asked by a handful at a time.
const OPEN = { limit: 100, offset: 0 }

/** The mentor's page: the OPEN requests addressed to them first, with their answers, then every one, by pages. */
export function renderIncoming (request: FastifyRequest, reply: FastifyReply, page: number, refused?: IncomingState['refused']) {
  const { requests } = request.server.domain
  const mentor = ownProfile(request, 'mentors')
  const mine = { mentor_id: mentor?.id ?? 0 }
  const open = mentor ? requests.list(request.caller, { ...mine, status: 'OPEN', ...OPEN }).rows : []
  const all = mentor ? requests.list(request.caller, { ...mine, ...pageOf(page) }) : { rows: [], total: 0 }
  return reply.code(refused ? 400 : 200).html(incomingRequestsPage(viewOf(request, reply), {
    open: withNames(request, open),
    answered: withNames(request, all.rows),
    answeredTotal: all.total,
    page,
    refused
  }))
}

const incoming: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get('/', {
    config: { access: 'member', page: true },
    schema: { summary: "Page: the requests addressed to me as a mentor, OPEN ones first, each with the mentee's interests and message", tags: ['pages'], querystring: PageQuery }
  }, async (request, reply) => renderIncoming(request, reply, request.query.page))
}

export default incoming
