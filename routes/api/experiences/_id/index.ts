import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Body, errorResponses, IdParams, IncludeDeletedQuery } from '../../../../schemas/common'
import { ExperienceRecord, ExperienceUpdate } from '../../../../schemas/experiences'

const experienceRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { experiences } = fastify.domain

  fastify.get('/', {
    config: { access: 'member' },
    schema: {
      summary: 'An experience of the organization',
      tags: ['experiences'],
      params: IdParams,
      querystring: IncludeDeletedQuery,
      response: { 200: ExperienceRecord, ...errorResponses(400, 401, 404) }
    }
  }, async (request) => experiences.get(request.caller, request.params.id, request.query.include_deleted))

  fastify.put('/', {
    config: { access: 'member' },
    schema: {
      summary: 'Rename an experience (its user or staff); staff also restore it',
      tags: ['experiences'],
      params: IdParams,
      body: Body(ExperienceUpdate),
      response: { 200: ExperienceRecord, ...errorResponses(400, 401, 403, 404, 409) }
    }
  }, async (request) => experiences.update(request.caller, request.params.id, request.body))

  fastify.delete('/', {
    config: { access: 'member' },
    schema: {
      summary: 'Soft-delete an experience (its user or staff)',
      tags: ['experiences'],
      params: IdParams,
      response: { 200: ExperienceRecord, ...errorResponses(400, 401, 403, 404) }
    }
  }, async (request) => experiences.softDelete(request.caller, request.params.id))
}

export default experienceRoutes
