import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Body, errorResponses, IdParams } from '../../../../schemas/common'
import { OrganizationDescription, OrganizationLogo, OrganizationName, OrganizationRecord, OrganizationSettingsChanges, OrganizationWeights } from '../../../../schemas/organizations'

const organizationRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { organizations } = fastify.domain

  fastify.get('/', {
    config: { access: 'member' },
    schema: {
      summary: 'An organization the caller belongs to',
      tags: ['organizations'],
      params: IdParams,
      response: { 200: OrganizationRecord, ...errorResponses(400, 401, 404) }
    }
  }, async (request) => organizations.get(request.caller, request.params.id))

  fastify.put('/', {
    config: { access: 'owner' },
    schema: {
      summary: 'Edit an organization, its matching weights and program settings included',
      tags: ['organizations'],
      params: IdParams,
      body: Body({
        name: Type.Optional(OrganizationName),
        description: Type.Optional(OrganizationDescription),
        logo: Type.Optional(OrganizationLogo),
        matching_weights: Type.Optional(OrganizationWeights),
        ...OrganizationSettingsChanges
      }),
      response: { 200: OrganizationRecord, ...errorResponses(400, 401, 403, 404, 409) }
    }
  }, async (request) => organizations.update(request.caller, request.params.id, request.body))
}

export default organizationRoutes
