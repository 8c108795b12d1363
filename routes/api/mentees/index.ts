import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { eq } from 'drizzle-orm'
import { mentees } from '../../../db/schema'
import { Body, errors, Id, ListQuery, sendList } from '../../schemas'
import { ProfileStatusSchema } from '../profiles'
import { menteeProfiles } from './resource'
import { LAMBDA_WEEK_REQUIRED, LambdaWeek, MenteeCreate, MenteeRecord } from './schemas'

const menteesRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const profiles = menteeProfiles(fastify)

  fastify.get('/', {
    schema: {
      summary: "The organization's mentee profiles",
      tags: ['mentees'],
      querystring: ListQuery({
        status: Type.Optional(ProfileStatusSchema),
        user_id: Type.Optional(Id),
        lambda_week: Type.Optional(LambdaWeek)
      }),
      response: { 200: Type.Array(MenteeRecord), ...errors(400, 401) }
    }
  }, async (request, reply) => {
    const { status, user_id, lambda_week, ...page } = request.query
    return sendList(reply, profiles.list(request, page, [
      status ? eq(mentees.status, status) : undefined,
      user_id ? eq(mentees.user_id, user_id) : undefined,
      lambda_week ? eq(mentees.lambda_week, lambda_week) : undefined
    ]))
  })

  fastify.post('/', {
    config: { whenAbsent: LAMBDA_WEEK_REQUIRED },
    schema: {
      summary: 'Create a mentee profile: a user their own (PENDING), staff anyone\'s of the organization (AVAILABLE)',
      description: 'Without lambda_week (absent or null) the answer is 404, as the original system did.',
      tags: ['mentees'],
      body: Body(MenteeCreate),
      response: { 201: MenteeRecord, ...errors(400, 401, 403, 404, 409) }
    }
  }, async (request, reply) => {
    const { body } = request
    return reply.code(201).send(profiles.create(request, body, profiles.wantedMentorOf(request, body.wanted_mentor_id)))
  })
}

export default menteesRoutes
