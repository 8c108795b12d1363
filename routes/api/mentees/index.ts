import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Body, errorResponses, Id, ListQuery, ProfileStatus, sendList } from '../../../schemas/common'
import { LAMBDA_WEEK_REQUIRED, LambdaWeek, MenteeCreate, MenteeRecord } from '../../../schemas/mentees'

const menteesRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { mentees } = fastify.domain

  fastify.get('/', {
    config: { access: 'member' },
    schema: {
      summary: "The organization's mentee profiles",
      tags: ['mentees'],
      querystring: ListQuery({
        status: Type.Optional(ProfileStatus),
        user_id: Type.Optional(Id),
        lambda_week: Type.Optional(LambdaWeek)
      }),
      response: { 200: Type.Array(MenteeRecord), ...errorResponses(400, 401) }
    }
  }, async (request, reply) => sendList(reply, mentees.list(request.caller, request.query)))

  fastify.post('/', {
    config: { access: 'member', whenAbsent: LAMBDA_WEEK_REQUIRED },
    schema: {
      summary: 'Create a mentee profile: a user their own (PENDING), staff anyone\'s of the organization (AVAILABLE)',
      description: 'Without lambda_week (absent or null) the answer is 404, as the original system did.',
      tags: ['mentees'],
      body: Body(MenteeCreate),
      response: { 201: MenteeRecord, ...errorResponses(400, 401, 403, 404, 409) }
    }
  }, async (request, reply) => reply.code(201).send(mentees.create(request.caller, request.body)))
}

export default menteesRoutes
