import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { eq } from 'drizzle-orm'
import { experiences } from '../../../db/schema'
import { Body, errors, Id, ListQuery, sendList } from '../../schemas'
import { experienceRecords } from './resource'
import { ExperienceName, ExperienceRecord } from './schemas'

const experiencesRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const records = experienceRecords(fastify)

  fastify.get('/', {
    schema: {
      summary: "The organization's experiences (skills and background of its people)",
      tags: ['experiences'],
      querystring: ListQuery({ user_id: Type.Optional(Id) }),
      response: { 200: Type.Array(ExperienceRecord), ...errors(400, 401) }
    }
  }, async (request, reply) => {
    const { user_id, ...page } = request.query
    return sendList(reply, records.list(request, page, [user_id ? eq(experiences.user_id, user_id) : undefined]))
  })

  fastify.post('/', {
    schema: {
      summary: 'Add an experience: a user their own, staff anyone\'s of the organization',
      tags: ['experiences'],
      body: Body({ user_id: Type.Optional(Id), name: ExperienceName }),
      response: { 201: ExperienceRecord, ...errors(400, 401, 403, 409) }
    }
  }, async (request, reply) => reply.code(201).send(records.create(request, request.body)))
}

export default experiencesRoutes
