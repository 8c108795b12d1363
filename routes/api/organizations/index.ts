import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Body, errorResponses, ListQuery, sendList } from '../../../schemas/common'
import { OrganizationDescription, OrganizationLogo, OrganizationName, OrganizationRecord } from '../../../schemas/organizations'

const organizationsRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { organizations } = fastify.domain

  fastify.get('/', {
    config: { access: 'member' },
    schema: {
      summary: 'The organizations the caller sees: all for an ADMINISTRATOR, else their own',
      tags: ['organizations'],
      querystring: ListQuery({}),
      response: { 200: Type.Array(OrganizationRecord), ...errorResponses(400, 401) }
    }
  }, async (request, reply) => {
    const { limit, offset } = request.query
    return sendList(reply, organizations.list(request.caller, { limit, offset }))
  })

  fastify.post('/', {
    config: { access: 'administrator' },
    schema: {
      summary: 'Create an organization',
      tags: ['organizations'],
      body: Body({
        name: OrganizationName,
        description: Type.Optional(OrganizationDescription),
        logo: Type.Optional(OrganizationLogo)
      }),
      response: { 201: OrganizationRecord, ...errorResponses(400, 401, 403, 409) }
    }
  }, async (request, reply) => reply.code(201).send(organizations.create(request.body)))
}

export default organizationsRoutes
