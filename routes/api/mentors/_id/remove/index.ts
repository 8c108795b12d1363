import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { errors, IdParams, Removed } from '../../../../schemas'
import { mentorProfiles } from '../../resource'

const removeMentor: FastifyPluginAsyncTypebox = async (fastify) => {
  const profiles = mentorProfiles(fastify)
  fastify.delete('/', {
    schema: {
      summary: 'Erase a mentor profile and its matches for good (staff)',
      tags: ['mentors'],
      params: IdParams,
      response: { 200: Removed, ...errors(400, 401, 403, 404) }
    }
  }, async (request) => profiles.remove(request, request.params.id))
}

export default removeMentor
