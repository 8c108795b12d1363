import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Id } from '../../../../schemas/common'
import { refusalProblems } from '../../../../web/forms'
import { renderMyRequests } from '..'

const myRequest: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post('/', {
    config: { access: 'member', page: true },
    schema: { summary: 'Page: withdraw one of my open requests', tags: ['pages'], params: Type.Object({ id: Id }) }
  }, async (request, reply) => {
    try {
      fastify.domain.requests.withdraw(request.caller, request.params.id)
      return reply.redirect('/me/requests', 303)
    } catch (error) {
      return renderMyRequests(request, reply, 1, {}, refusalProblems(error))
    }
  })
}

export default myRequest
