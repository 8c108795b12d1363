import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { errors, IdParams, Removed } from '../../../../schemas'
import { mayChangeOrganization } from '../../rules'

const removeOrganization: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.delete('/', {
    schema: {
      summary: 'Erase an organization and everything in it (its OWNER, ADMINISTRATOR)',
      tags: ['organizations'],
      params: IdParams,
      response: { 200: Removed, ...errors(400, 401, 403, 404) }
    }
  }, async (request) => {
    const { tenant } = request
    const organization = tenant.organizations.get(request.params.id)
    mayChangeOrganization(request.user)
    // One DELETE: the foreign keys cascade to every row of the organization in the same statement.
    tenant.organizations.remove(organization.id)
    return { id: organization.id, removed: true as const }
  })
}

export default removeOrganization
