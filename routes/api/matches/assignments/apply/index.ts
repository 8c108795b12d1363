import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { errorResponses } from '../../../../../schemas/common'
import { ApplyBody } from '../../../../../schemas/matching'
import { MatchRecord } from '../../../../../schemas/matches'

const applyRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { matching } = fastify.domain

  fastify.post('/', {
    config: { access: 'staff' },
    // A whole cohort's pairs, sent back with their reasons, outgrow the usual 1 MiB.
    bodyLimit: 16 * 1024 * 1024,
    schema: {
      summary: 'Create the matches of a preview in one transaction; if any pair is no longer possible, none',
      tags: ['matches'],
      body: ApplyBody,
      response: { 201: Type.Array(MatchRecord), ...errorResponses(400, 401, 403, 409) }
    }
  }, async (request, reply) => reply.code(201).send(matching.apply(request.caller, request.body.pairs)))
}

export default applyRoutes
