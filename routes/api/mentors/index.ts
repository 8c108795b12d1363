import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { eq } from 'drizzle-orm'
import { mentors } from '../../../db/schema'
import { Body, errors, Id, ListQuery, sendList } from '../../schemas'
import { ProfileStatusSchema } from '../profiles'
import { mentorProfiles } from './resource'
import { MentorCreate, MentorRecord } from './schemas'

const mentorsRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const profiles = mentorProfiles(fastify)

  fastify.get('/', {
    schema: {
      summary: "The organization's mentor profiles",
      tags: ['mentors'],
      querystring: ListQuery({ status: Type.Optional(ProfileStatusSchema), user_id: Type.Optional(Id) }),
      response: { 200: Type.Array(MentorRecord), ...errors(400, 401) }
    }
  }, async (request, reply) => {
    const { status, user_id, ...page } = request.query
    return sendList(reply, profiles.list(request, page, [
      status ? eq(mentors.status, status) : undefined,
      user_id ? eq(mentors.user_id, user_id) : undefined
    ]))
  })

  fastify.post('/', {
    schema: {
      summary: 'Create a mentor profile: a user their own (PENDING), staff anyone\'s of the organization (AVAILABLE)',
      tags: ['mentors'],
      body: Body(MentorCreate),
      response: { 201: MentorRecord, ...errors(400, 401, 403, 409) }
    }
  }, async (request, reply) => reply.code(201).send(profiles.create(request, request.body)))
}

export default mentorsRoutes
