import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { errors, IdParams, Removed } from '../../../../schemas'
import { experienceRecords } from '../../resource'

const removeExperience: FastifyPluginAsyncTypebox = async (fastify) => {
  const records = experienceRecords(fastify)
  fastify.delete('/', {
    schema: {
      summary: 'Erase an experience for good (staff)',
      tags: ['experiences'],
      params: IdParams,
      response: { 200: Removed, ...errors(400, 401, 403, 404) }
    }
  }, async (request) => records.remove(request, request.params.id))
}

export default removeExperience
