import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Form } from '../../../../web/form-data'
import { Body, Id } from '../../../../schemas/common'
import { MeetingFields } from '../../../../schemas/meetings'
import { readForm, refusalProblems } from '../../../../web/forms'
import { renderMyMatches } from '../../matches'

const Rating = Body({ rating: MeetingFields.rating })

const meeting: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post('/', {
    config: { access: 'member', page: true },
    schema: { summary: 'Page: rate a meeting of one of my matches', tags: ['pages'], params: Type.Object({ id: Id }) }
  }, async (request, reply) => {
    const field = `rating-${request.params.id}`
    const form = readForm(Rating, request.body as Form)
    if (!form.ok) return renderMyMatches(request, reply, {}, { [field]: Object.values(form.problems).join('; ') })
    try {
      fastify.domain.meetings.update(request.caller, request.params.id, form.value)
      return reply.redirect('/me/matches', 303)
    } catch (error) {
      // Not a meeting of the caller's: there is no rating field to show it next to.
      return renderMyMatches(request, reply, {}, refusalProblems(error))
    }
  })
}

export default meeting
