import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { PageQuery } from '../../../schemas/pages'
import { pageOf, viewOf } from '../../../web/layout'
import { meetingsPage } from '../../../web/pages/staff'

const meetings: FastifyPluginAsyncTypebox = async (fastify) => {
  const domain = fastify.domain

  fastify.get('/', {
    config: { access: 'staff', page: true },
    schema: { summary: "Page: the organization's meetings, newest first", tags: ['pages'], querystring: PageQuery }
  }, async (request, reply) => {
    const { page } = request.query
    const { rows, total } = domain.meetings.list(request.caller, pageOf(page))
    const matchIds = [...new Set(rows.map((meeting) => meeting.match_id))]
    const matches = new Map(matchIds.map((id) => [id, domain.matches.get(request.caller, id, true)]))
    return reply.html(meetingsPage(viewOf(request, reply), page, rows.map((meeting) => ({ ...meeting, match: matches.get(meeting.match_id) })), total))
  })
}

export default meetings
