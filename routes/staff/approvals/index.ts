import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Form } from '../../../web/form-data'
import { Body, Id, StringEnum } from '../../../schemas/common'
import { readForm, refusalProblems } from '../../../web/forms'
import { type Problems, viewOf } from '../../../web/layout'
import { approvalsPage, type PendingProfile } from '../../../web/pages/staff'

const Decision = Body({ kind: StringEnum(['mentor', 'mentee']), id: Id, decision: StringEnum(['approve', 'decline']) })
// A page holds what staff can decide in one sitting; the rest shows once these are decided.
const SHOWN = { limit: 100, offset: 0 }

const approvals: FastifyPluginAsyncTypebox = async (fastify) => {
  const { mentors, mentees } = fastify.domain

  function render (request: FastifyRequest, reply: FastifyReply, problems: Problems = {}) {
    const pending: PendingProfile[] = [
      ...mentors.list(request.caller, { status: 'PENDING', ...SHOWN }).rows.map((mentor) => ({
        kind: 'mentor' as const, ...mentor, details: `capacity ${mentor.capacity}${mentor.bio ? `: ${mentor.bio}` : ''}`
      })),
      ...mentees.list(request.caller, { status: 'PENDING', ...SHOWN }).rows.map((mentee) => ({
        kind: 'mentee' as const, ...mentee, details: `week ${mentee.lambda_week}${mentee.interests ? `: ${mentee.interests}` : ''}`
      }))
    ]
    return reply.code(problems.form ? 400 : 200).html(approvalsPage(viewOf(request, reply), pending, problems))
  }

  fastify.get('/', {
    config: { access: 'staff', page: true },
    schema: { summary: 'Page: the PENDING mentor and mentee profiles, to approve or decline', tags: ['pages'] }
  }, async (request, reply) => render(request, reply))

  fastify.post('/', {
    config: { access: 'staff', page: true },
    schema: { summary: 'Page: approve a profile (AVAILABLE) or decline it (deleted)', tags: ['pages'] }
  }, async (request, reply) => {
    const form = readForm(Decision, request.body as Form)
    if (!form.ok) return render(request, reply, { form: Object.values(form.problems).join('; ') })
    const { kind, id, decision } = form.value
    const profiles = kind === 'mentor' ? mentors : mentees
    try {
      if (decision === 'approve') profiles.update(request.caller, id, { status: 'AVAILABLE' })
      else profiles.softDelete(request.caller, id)
      return reply.redirect('/staff/approvals', 303)
    } catch (error) {
      return render(request, reply, refusalProblems(error))
    }
  })
}

export default approvals
