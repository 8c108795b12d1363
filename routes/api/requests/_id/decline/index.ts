import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Body, errorResponses, IdParams } from '../../../../../schemas/common'
import { DeclineNote, DeclineReason, RequestRecord } from '../../../../../schemas/requests'
import { Type } from '@sinclair/typebox'

const declineRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { requests } = fastify.domain

  fastify.post('/', {
    config: { access: 'member' },
    schema: {
      summary: 'Decline an OPEN request (its mentor) with a reason; the mentee is notified',
      tags: ['requests'],
      params: IdParams,
      body: Body({ decline_reason: DeclineReason, decline_note: Type.Optional(DeclineNote) }),
      response: { 200: RequestRecord, ...errorResponses(400, 401, 403, 404, 409) }
    }
  }, async (request) => requests.decline(request.caller, request.params.id, request.body))
}

export default declineRoutes
