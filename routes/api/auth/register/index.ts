import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { hashPassword } from '../../../../plugins/auth'
import { ApiError, isUniqueViolation } from '../../../../plugins/errors'
import { Body, Email, errors, Nullable, Password } from '../../../schemas'
import { OrganizationDescription, OrganizationLogo, OrganizationName, OrganizationRecord } from '../../organizations/schemas'
import { SignedIn } from '../../users/schemas'
import { authRateLimit } from '../rate-limit'

const register: FastifyPluginAsyncTypebox = async (fastify) => {
  const { repositories } = fastify
  fastify.post('/', {
    config: { public: true, rateLimit: authRateLimit(fastify) },
    schema: {
      summary: 'Register an organization and its first user, an OWNER',
      tags: ['auth'],
      body: Body({
        organization_name: OrganizationName,
        email: Email,
        password: Password,
        first_name: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
        last_name: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
        organization_description: Type.Optional(OrganizationDescription),
        organization_logo: Type.Optional(OrganizationLogo)
      }),
      response: {
        201: Type.Object({ ...SignedIn.properties, organization: OrganizationRecord }),
        ...errors(400, 429, 500)
      }
    }
  }, async (request, reply) => {
    const body = request.body
    const password_hash = await hashPassword(body.password)
    let created
    try {
      created = fastify.db.transaction(() => {
        const organization = repositories.organizations.insert({
          name: body.organization_name,
          description: body.organization_description,
          logo: body.organization_logo
        })
        const user = repositories.users.insert({
          organization_id: organization.id,
          email: body.email,
          password_hash,
          first_name: body.first_name,
          last_name: body.last_name,
          role: 'OWNER'
        })
              return { organization, user }
      })
    } catch (error) {
      // The seed answers 500 here, not 409; the transaction has written nothing.
      if (isUniqueViolation(error)) throw new ApiError(500, 'User or organization already registered')
      throw error
    }
    return reply.code(201).send({ token: fastify.issueToken(created.user), ...created })
  })
}

export default register
