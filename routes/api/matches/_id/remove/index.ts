import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { requireStaff } from '../../../../../plugins/auth'
import { errors, IdParams, Removed } from '../../../../schemas'
import { matchLifecycle } from '../../lifecycle'

const removeMatch: FastifyPluginAsyncTypebox = async (fastify) => {
  const lifecycle = matchLifecycle(fastify.db)
  fastify.delete('/', {
    schema: {
      summary: 'Erase a match and its meetings for good (staff), freeing the capacity it held',
      tags: ['matches'],
      params: IdParams,
      response: { 200: Removed, ...errors(400, 401, 403, 404) }
    }
  }, async (request) => {
    const { tenant } = request
    const match = tenant.matches.get(request.params.id, tenant.includeDeleted(true))
    requireStaff(request.user)
    lifecycle.erase(tenant, match.id)
    return { id: match.id, removed: true as const }
  })
}

export default removeMatch
