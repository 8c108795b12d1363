import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Body, errors, IdParams } from '../../../schemas'
import { OrganizationDescription, OrganizationLogo, OrganizationName, OrganizationRecord } from '../schemas'
import { mayChangeOrganization } from '../rules'

const organizationRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get('/', {
    schema: {
      summary: 'An organization the caller belongs to',
      tags: ['organizations'],
      params: IdParams,
      response: { 200: OrganizationRecord, ...errors(400, 401, 404) }
    }
  }, async (request) => request.tenant.organizations.get(request.params.id))

  fastify.put('/', {
    schema: {
      summary: 'Edit an organization (its OWNER, ADMINISTRATOR)',
      tags: ['organizations'],
      params: IdParams,
      body: Body({
        name: Type.Optional(OrganizationName),
        description: Type.Optional(OrganizationDescription),
        logo: Type.Optional(OrganizationLogo)
      }),
      response: { 200: OrganizationRecord, ...errors(400, 401, 403, 404, 409) }
    }
  }, async (request) => {
    const { tenant } = request
    const organization = tenant.organizations.get(request.params.id)
    mayChangeOrganization(request.user)
    return tenant.organizations.update(organization.id, request.body)
  })
}

export default organizationRoutes
