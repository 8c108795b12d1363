import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { errorResponses } from '../../../../schemas/common'
import { Preview, PreviewBody } from '../../../../schemas/matching'

const assignmentRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { matching } = fastify.domain

  fastify.post('/', {
    config: { access: 'staff' },
    schema: {
      summary: 'Preview the optimal assignment of the AVAILABLE mentees to mentors; writes nothing',
      description: 'The most mentees the free places allow, then the greatest total score. Server-Timing tells the time spent loading, scoring and solving.',
      tags: ['matches'],
      body: PreviewBody,
      response: { 200: Preview, ...errorResponses(400, 401, 403) }
    }
  }, async (request, reply) => {
    const { timings, ...preview } = matching.preview(request.caller, request.body)
    reply.header('server-timing', Object.entries(timings).map(([step, milliseconds]) => `${step};dur=${milliseconds.toFixed(1)}`).join(', '))
    return preview
  })
}

export default assignmentRoutes
