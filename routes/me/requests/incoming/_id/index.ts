import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Form } from '../../../../../web/form-data'
import { Body, Id, StringEnum } from '../../../../../schemas/common'
import { DeclineNote, DeclineReason } from '../../../../../schemas/requests'
import { readForm, refusalProblems } from '../../../../../web/forms'
import { renderIncoming } from '..'

const Answer = Body({ action: StringEnum(['accept', 'decline']) })
// POST /api/requests/:id/decline's body.
const Decline = Body({ decline_reason: DeclineReason, decline_note: Type.Optional(DeclineNote) })

const answer: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post('/', {
    config: { access: 'member', page: true },
    schema: { summary: 'Page: accept a request addressed to me (one click) or decline it with a reason and a note', tags: ['pages'], params: Type.Object({ id: Id }) }
  }, async (request, reply) => {
    const { requests } = fastify.domain
    const { action, ...fields } = request.body as Record<string, string>
    const id = String(request.params.id)
    const refused = (problems: Record<string, string | undefined>) => renderIncoming(request, reply, 1, { id, form: fields, problems })
    const chosen = readForm(Answer, { action } as Form)
    if (!chosen.ok) return refused({ form: Object.values(chosen.problems).join('; ') })
    try {
      if (chosen.value.action === 'accept') {
        requests.accept(request.caller, request.params.id)
        return reply.redirect('/me/matches', 303)
      }
      const form = readForm(Decline, fields as Form)
      if (!form.ok) return refused(form.problems)
      requests.decline(request.caller, request.params.id, form.value)
      return reply.redirect('/me/requests/incoming', 303)
    } catch (error) {
      return refused(refusalProblems(error))
    }
  })
}

export default answer
