import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Body, errorResponses, Id, ListQuery, sendList } from '../../../schemas/common'
import { RequestMessage, RequestRank, RequestRecord, RequestStatus } from '../../../schemas/requests'

const requestsRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { requests } = fastify.domain

  fastify.get('/', {
    config: { access: 'member' },
    schema: {
      summary: "List mentee requests: a mentee their own, a mentor those addressed to them, staff the organization's",
      tags: ['requests'],
      querystring: ListQuery({
        status: Type.Optional(RequestStatus),
        mentor_id: Type.Optional(Id),
        mentee_id: Type.Optional(Id)
      }),
      response: { 200: Type.Array(RequestRecord), ...errorResponses(400, 401) }
    }
  }, async (request, reply) => sendList(reply, requests.list(request.caller, request.query)))

  fastify.post('/', {
    config: { access: 'member' },
    schema: {
      summary: 'Ask a mentor (a mentee with an AVAILABLE profile, for themself); the mentor is notified',
      tags: ['requests'],
      body: Body({
        mentor_id: Id,
        message: RequestMessage,
        rank: Type.Optional(RequestRank)
      }),
      response: { 201: RequestRecord, ...errorResponses(400, 401, 403, 409) }
    }
  }, async (request, reply) => reply.code(201).send(requests.create(request.caller, request.body)))
}

export default requestsRoutes
