import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Form } from '../../../../web/form-data'
import { Body, Id, Nullable, Prose, StringEnum } from '../../../../schemas/common'
import { readForm, refusalProblems } from '../../../../web/forms'
import { pageOf, type Problems, viewOf } from '../../../../web/layout'
import { matchesPage } from '../../../../web/pages/staff'

// The part of PUT /api/matches/:id this page offers: ending a match.
const Ending = Body({ status: StringEnum(['COMPLETED', 'CANCELLED']), cancel_reason: Type.Optional(Nullable(Prose(1000))) })

const match: FastifyPluginAsyncTypebox = async (fastify) => {
  const { matches } = fastify.domain

  fastify.post('/', {
    config: { access: 'staff', page: true },
    schema: { summary: 'Page: complete or cancel a match', tags: ['pages'], params: Type.Object({ id: Id }) }
  }, async (request, reply) => {
    const form = readForm(Ending, request.body as Form)
    let problems: Problems
    if (form.ok) {
      try {
        matches.update(request.caller, request.params.id, form.value)
        return reply.redirect('/staff/matches', 303)
      } catch (error) {
        problems = refusalProblems(error)
      }
    } else {
      problems = { form: Object.values(form.problems).join('; ') }
    }
    const { rows, total } = matches.list(request.caller, pageOf(1))
    return reply.code(400).html(matchesPage(viewOf(request, reply), { page: 1 }, rows, total, problems))
  })
}

export default match
