import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { errorResponses, ListQuery, sendList } from '../../../schemas/common'
import { InvitationRecord, InvitationStatus, IssuedInvitation, NewInvitation } from '../../../schemas/invitations'

const invitationsRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { invitations } = fastify.domain

  fastify.post('/', {
    config: { access: 'staff' },
    schema: {
      summary: 'Invite a person to the organization; the invitation is emailed when SMTP is configured',
      tags: ['invitations'],
      body: NewInvitation,
      response: { 201: IssuedInvitation, ...errorResponses(400, 401, 403, 409) }
    }
  }, async (request, reply) => {
    const created = await invitations.create(request.caller, request.body, `${request.protocol}://${request.host}`)
    return reply.code(201).send(created)
  })

  fastify.get('/', {
    config: { access: 'staff' },
    schema: {
      summary: "List the organization's invitations, newest first",
      tags: ['invitations'],
      querystring: Type.Omit(ListQuery({ status: Type.Optional(InvitationStatus) }), ['include_deleted']),
      response: { 200: Type.Array(InvitationRecord), ...errorResponses(400, 401, 403) }
    }
  }, async (request, reply) => sendList(reply, invitations.list(request.caller, request.query)))
}

export default invitationsRoutes
