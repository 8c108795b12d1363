import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { hashPassword } from '../../../../plugins/auth'
import { forbidden } from '../../../../plugins/errors'
import { Body, Email, errors, Nullable, Password } from '../../../schemas'
import { authRateLimit } from '../../auth/rate-limit'
import { SignedIn } from '../../users/schemas'
import { invitationRules, splitName, statusOf } from '../rules'
import { InvitationParams, InvitationPreview } from '../schemas'

const Name = Type.Optional(Nullable(Type.String({ maxLength: 100 })))

const invitationRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const rules = invitationRules(fastify)

  fastify.get('/', {
    config: { public: true },
    schema: {
      summary: 'What an invitation offers, for the invitee to decide (no token needed)',
      tags: ['invitations'],
      params: InvitationParams,
      response: { 200: InvitationPreview, ...errors(400, 404, 410) }
    }
  }, async (request) => {
    const invitation = rules.open(request.params.invitation_id)
    // The organization exists: erasing it erases its invitations.
    const organization = fastify.repositories.organizations.find(null, invitation.organization_id)!
    return {
      ...invitation,
      status: statusOf(invitation),
      organization: { id: organization.id, name: organization.name, logo: organization.logo }
    }
  })

  fastify.post('/', {
    config: { public: true, rateLimit: authRateLimit(fastify) },
    schema: {
      summary: 'Accept an invitation with a password: creates the user and signs them in (no token needed)',
      tags: ['invitations'],
      params: InvitationParams,
      body: Body({
        password: Password,
        first_name: Name,
        last_name: Name,
        email: Type.Optional({ ...Email, description: "When given, it must be the invitation's email" })
      }),
      response: { 201: SignedIn, ...errors(400, 403, 404, 409, 410, 429) }
    }
  }, async (request, reply) => {
    const { password, email, first_name, last_name } = request.body
    const invitation = rules.open(request.params.invitation_id)
    if (email !== undefined && email !== invitation.email) {
      throw forbidden('This invitation is for another email address')
    }
    rules.ensureUnregistered(invitation.email)
    const password_hash = await hashPassword(password)
    // Names given in the body win; without any, the name staff wrote on the invitation stands in.
    const names = first_name !== undefined || last_name !== undefined ? { first_name, last_name } : splitName(invitation.name)
    const user = rules.accept(invitation, { ...names, password_hash })
    return reply.code(201).send({ token: fastify.issueToken(user), user })
  })
}

export default invitationRoutes
