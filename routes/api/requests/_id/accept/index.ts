import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { errorResponses, IdParams } from '../../../../../schemas/common'
import { MatchRecord } from '../../../../../schemas/matches'

const acceptRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { requests } = fastify.domain

  fastify.post('/', {
    config: { access: 'member' },
    schema: {
      summary: "Accept an OPEN request (its mentor): creates the match as POST /api/matches does and closes the mentee's other requests",
      tags: ['requests'],
      params: IdParams,
      response: { 201: MatchRecord, ...errorResponses(400, 401, 403, 404, 409) }
    }
  }, async (request, reply) => reply.code(201).send(requests.accept(request.caller, request.params.id)))
}

export default acceptRoutes
