import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { PeopleQuery } from '../../../schemas/pages'
import { pageOf, viewOf } from '../../../web/layout'
import { peoplePage } from '../../../web/pages/staff'

const people: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get('/', {
    config: { access: 'staff', page: true },
    schema: { summary: "Page: the organization's people, with search, role filter and pages", tags: ['pages'], querystring: PeopleQuery }
  }, async (request, reply) => {
    const { q, role, page } = request.query
    const { rows, total } = fastify.domain.users.list(request.caller, { q: q || undefined, role: role || undefined, ...pageOf(page) })
    return reply.html(peoplePage(viewOf(request, reply), request.query, rows, total))
  })
}

export default people
