import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Body, errorResponses, Id, ListQuery, ProfileStatus, sendList } from '../../../schemas/common'
import { MentorCreate, MentorRecord } from '../../../schemas/mentors'

const mentorsRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { mentors } = fastify.domain

  fastify.get('/', {
    config: { access: 'member' },
    schema: {
      summary: "The organization's mentor profiles",
      tags: ['mentors'],
      querystring: ListQuery({ status: Type.Optional(ProfileStatus), user_id: Type.Optional(Id) }),
      response: { 200: Type.Array(MentorRecord), ...errorResponses(400, 401) }
    }
  }, async (request, reply) => sendList(reply, mentors.list(request.caller, request.query)))

  fastify.post('/', {
    config: { access: 'member' },
    schema: {
      summary: 'Create a mentor profile: a user their own (PENDING), staff anyone\'s of the organization (AVAILABLE)',
      tags: ['mentors'],
      body: Body(MentorCreate),
      response: { 201: MentorRecord, ...errorResponses(400, 401, 403, 409) }
    }
  }, async (request, reply) => reply.code(201).send(mentors.create(request.caller, request.body)))
}

export default mentorsRoutes
