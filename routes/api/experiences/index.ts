import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Body, errorResponses, Id, ListQuery, sendList } from '../../../schemas/common'
import { ExperienceName, ExperienceRecord } from '../../../schemas/experiences'

const experiencesRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { experiences } = fastify.domain

  fastify.get('/', {
    config: { access: 'member' },
    schema: {
      summary: "The organization's experiences (skills and background of its people)",
      tags: ['experiences'],
      querystring: ListQuery({ user_id: Type.Optional(Id) }),
      response: { 200: Type.Array(ExperienceRecord), ...errorResponses(400, 401) }
    }
  }, async (request, reply) => sendList(reply, experiences.list(request.caller, request.query)))

  fastify.post('/', {
    config: { access: 'member' },
    schema: {
      summary: 'Add an experience: a user their own, staff anyone\'s of the organization',
      tags: ['experiences'],
      body: Body({ user_id: Type.Optional(Id), name: ExperienceName }),
      response: { 201: ExperienceRecord, ...errorResponses(400, 401, 403, 409) }
    }
  }, async (request, reply) => reply.code(201).send(experiences.create(request.caller, request.body)))
}

export default experiencesRoutes
