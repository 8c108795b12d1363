import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Id } from '../../../../schemas/common'
import { refusalProblems } from '../../../../web/forms'
import { renderInvitations, serverUrlOf } from '..'

const invitation: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post('/', {
    config: { access: 'staff', page: true },
    schema: {
      summary: 'Page: resend an invitation (a new link, shown once) or revoke it',
      tags: ['pages'],
      params: Type.Object({ id: Id })
    }
  }, async (request, reply) => {
    const { action } = request.body as { action?: string }
    const { invitations } = fastify.domain
    try {
      if (action === 'revoke') {
        invitations.remove(request.caller, request.params.id)
        return reply.redirect('/staff/invitations', 303)
      }
      return renderInvitations(request, reply, { issued: await invitations.resend(request.caller, request.params.id, serverUrlOf(request)) })
    } catch (error) {
      return renderInvitations(request, reply, { problems: refusalProblems(error), status: 400 })
    }
  })
}

export default invitation
