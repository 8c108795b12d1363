import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { forbidden } from '../../../../../plugins/errors'
import { errors, IdParams, Removed } from '../../../../schemas'
import { userRules } from '../../rules'

const removeUser: FastifyPluginAsyncTypebox = async (fastify) => {
  const rules = userRules(fastify)
  fastify.delete('/', {
    schema: {
      summary: 'Erase a user and what is theirs for good (OWNER, ADMINISTRATOR)',
      tags: ['users'],
      params: IdParams,
      response: { 200: Removed, ...errors(400, 401, 403, 404, 409) }
    }
  }, async (request) => {
    const { tenant, user: caller } = request
    const target = tenant.users.get(request.params.id, true)
    if (caller.role !== 'OWNER' && caller.role !== 'ADMINISTRATOR') throw forbidden()
    rules.keepAnOwner(target)
    tenant.users.remove(target.id)
    return { id: target.id, removed: true as const }
  })
}

export default removeUser
