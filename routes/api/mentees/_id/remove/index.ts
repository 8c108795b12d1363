import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { errors, IdParams, Removed } from '../../../../schemas'
import { menteeProfiles } from '../../resource'

const removeMentee: FastifyPluginAsyncTypebox = async (fastify) => {
  const profiles = menteeProfiles(fastify)
  fastify.delete('/', {
    schema: {
      summary: 'Erase a mentee profile and its matches for good (staff)',
      tags: ['mentees'],
      params: IdParams,
      response: { 200: Removed, ...errors(400, 401, 403, 404) }
    }
  }, async (request) => profiles.remove(request, request.params.id))
}

export default removeMentee
