import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Refusal } from '../../../../domain/errors'
import { ApiError } from '../../../../plugins/errors'
import { Body, Email, errorResponses, Nullable, Password } from '../../../../schemas/common'
import { OrganizationDescription, OrganizationLogo, OrganizationName, OrganizationRecord } from '../../../../schemas/organizations'
import { Name, SignedIn } from '../../../../schemas/users'

const register: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post('/', {
    config: { access: 'public', credentials: true },
    schema: {
      summary: 'Register an organization and its first user, an OWNER',
      tags: ['auth'],
      body: Body({
        organization_name: OrganizationName,
        email: Email,
        password: Password,
        first_name: Type.Optional(Nullable(Name)),
        last_name: Type.Optional(Nullable(Name)),
        organization_description: Type.Optional(OrganizationDescription),
        organization_logo: Type.Optional(OrganizationLogo)
      }),
      response: {
        201: Type.Object({ ...SignedIn.properties, organization: OrganizationRecord }),
        ...errorResponses(400, 429, 500)
      }
    }
  }, async (request, reply) => {
    try {
      const { organization, user } = await fastify.domain.accounts.register(request.body)
      return reply.code(201).send({ token: fastify.issueToken(user), user, organization })
    } catch (error) {
      // The seed answers 500 here, not 409; nothing was written.
      if (error instanceof Refusal && error.kind === 'conflict') throw new ApiError(500, error.message)
      throw error
    }
  })
}

export default register
