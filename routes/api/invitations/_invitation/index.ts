import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { credentialsRateLimit } from '../../../../plugins/rate-limit'
import { Body, Email, errorResponses, Nullable, Password } from '../../../../schemas/common'
import { InvitationPreview, InvitationTokenParams } from '../../../../schemas/invitations'
import { SignedIn } from '../../../../schemas/users'

const Name = Type.Optional(Nullable(Type.String({ maxLength: 100 })))

const invitationRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { invitations } = fastify.domain

  fastify.get('/', {
    config: { access: 'public' },
    schema: {
      summary: 'What an invitation offers, for the invitee to decide',
      tags: ['invitations'],
      params: InvitationTokenParams,
      response: { 200: InvitationPreview, ...errorResponses(400, 404, 410) }
    }
  }, async (request) => invitations.preview(request.params.invitation))

  fastify.post('/', {
    config: { access: 'public', rateLimit: credentialsRateLimit(fastify) },
    schema: {
      summary: 'Accept an invitation with a password: creates the user and signs them in',
      tags: ['invitations'],
      params: InvitationTokenParams,
      body: Body({
        password: Password,
        first_name: Name,
        last_name: Name,
        email: Type.Optional({ ...Email, description: "When given, it must be the invitation's email" })
      }),
      response: { 201: SignedIn, ...errorResponses(400, 403, 404, 409, 410, 429) }
    }
  }, async (request, reply) => {
    const user = await invitations.acceptWithPassword(request.params.invitation, request.body)
    return reply.code(201).send({ token: fastify.issueToken(user), user })
  })
}

export default invitationRoutes
