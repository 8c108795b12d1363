import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { errorResponses, Id, sendList } from '../../../../schemas/common'
import { Suggestion, WeightQuery, weightsOfQuery } from '../../../../schemas/matching'

const suggestionRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { matching } = fastify.domain

  fastify.get('/', {
    config: { access: 'staff' },
    schema: {
      summary: 'The mentors a mentee may be matched with now, best first, each with its score and reasons',
      description: 'X-Total-Count holds the number of all eligible mentors. `weight_<name>` tries other weights than the organization\'s.',
      tags: ['matches'],
      querystring: Type.Object({
        mentee_id: Id,
        limit: Type.Integer({ minimum: 1, maximum: 1000, default: 5 }),
        ...WeightQuery
      }, { additionalProperties: false }),
      response: { 200: Type.Array(Suggestion), ...errorResponses(400, 401, 403, 404) }
    }
  }, async (request, reply) => {
    const { mentee_id, limit, ...weights } = request.query
    return sendList(reply, matching.suggestions(request.caller, { mentee_id, limit, weights: weightsOfQuery(weights) }))
  })
}

export default suggestionRoutes
