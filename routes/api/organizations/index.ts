import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { forbidden } from '../../../plugins/errors'
import { Body, errors, ListQuery, sendList } from '../../schemas'
import { OrganizationDescription, OrganizationLogo, OrganizationName, OrganizationRecord } from './schemas'

const organizationsRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get('/', {
    schema: {
      summary: 'The organizations the caller sees: all for an ADMINISTRATOR, else their own',
      tags: ['organizations'],
      querystring: ListQuery({}),
      response: { 200: Type.Array(OrganizationRecord), ...errors(400, 401) }
    }
  }, async (request, reply) => {
    const { include_deleted: _, ...page } = request.query
    return sendList(reply, request.tenant.organizations.list(page))
  })

  fastify.post('/', {
    schema: {
      summary: 'Create an organization (ADMINISTRATOR)',
      tags: ['organizations'],
      body: Body({
        name: OrganizationName,
        description: Type.Optional(OrganizationDescription),
        logo: Type.Optional(OrganizationLogo)
      }),
      response: { 201: OrganizationRecord, ...errors(400, 401, 403, 409) }
    }
  }, async (request, reply) => {
    if (request.user.role !== 'ADMINISTRATOR') throw forbidden()
    return reply.code(201).send(fastify.repositories.organizations.insert(request.body))
  })
}

export default organizationsRoutes
