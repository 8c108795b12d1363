import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { RequestStatus } from '../../../db/schema'
import { RequestsQuery } from '../../../schemas/pages'
import { pageOf, viewOf } from '../../../web/layout'
import { staffRequestsPage, withNames } from '../../../web/pages/requests'

const requests: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get('/', {
    config: { access: 'staff', page: true },
    schema: { summary: "Page: the organization's mentee requests with their age, OPEN ones unless another status is chosen", tags: ['pages'], querystring: RequestsQuery }
  }, async (request, reply) => {
    const { status = 'OPEN', page } = request.query
    const { rows, total } = fastify.domain.requests.list(request.caller, { status: (status || undefined) as RequestStatus | undefined, ...pageOf(page) })
    return reply.html(staffRequestsPage(viewOf(request, reply), { status, page }, withNames(request, rows), total))
  })
}

export default requests
