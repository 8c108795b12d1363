import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { errorResponses, IdParams } from '../../../../schemas/common'
import { RequestRecord } from '../../../../schemas/requests'

const requestRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { requests } = fastify.domain

  fastify.get('/', {
    config: { access: 'member' },
    schema: {
      summary: 'A mentee request (its mentee, its mentor, or staff)',
      tags: ['requests'],
      params: IdParams,
      response: { 200: RequestRecord, ...errorResponses(400, 401, 403, 404) }
    }
  }, async (request) => requests.get(request.caller, request.params.id))

  fastify.delete('/', {
    config: { access: 'member' },
    schema: {
      summary: 'Withdraw an OPEN request (its mentee); the mentor is notified',
      tags: ['requests'],
      params: IdParams,
      response: { 200: RequestRecord, ...errorResponses(400, 401, 403, 404, 409) }
    }
  }, async (request) => requests.withdraw(request.caller, request.params.id))
}

export default requestRoutes
