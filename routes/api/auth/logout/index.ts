import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { errorResponses } from '../../../../schemas/common'

const logout: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post('/', {
    config: { access: 'member' },
    schema: {
      summary: "Sign out everywhere: every token of the caller's stops working, this one included",
      tags: ['auth'],
      response: { 200: Type.Object({ signed_out: Type.Literal(true) }), ...errorResponses(401) }
    }
  }, async (request) => {
    fastify.domain.accounts.signOutEverywhere(request.caller.user.id)
    return { signed_out: true as const }
  })
}

export default logout
