import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Body, errors, IdParams, IncludeDeletedQuery } from '../../../schemas'
import { experienceRecords } from '../resource'
import { ExperienceRecord, ExperienceUpdate } from '../schemas'

const experienceRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const records = experienceRecords(fastify)

  fastify.get('/', {
    schema: {
      summary: 'An experience of the organization',
      tags: ['experiences'],
      params: IdParams,
      querystring: IncludeDeletedQuery,
      response: { 200: ExperienceRecord, ...errors(400, 401, 404) }
    }
  }, async (request) => records.read(request, request.params.id, request.query.include_deleted))

  fastify.put('/', {
    schema: {
      summary: 'Rename an experience (its user or staff); staff also restore it',
      tags: ['experiences'],
      params: IdParams,
      body: Body(ExperienceUpdate),
      response: { 200: ExperienceRecord, ...errors(400, 401, 403, 404, 409) }
    }
  }, async (request) => records.update(request, request.params.id, request.body))

  fastify.delete('/', {
    schema: {
      summary: 'Soft-delete an experience (its user or staff)',
      tags: ['experiences'],
      params: IdParams,
      response: { 200: ExperienceRecord, ...errors(400, 401, 403, 404) }
    }
  }, async (request) => records.softDelete(request, request.params.id))
}

export default experienceRoutes
