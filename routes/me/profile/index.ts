import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Caller } from '../../../domain/caller'
import type { Form } from '../../../web/form-data'
import { Body, StringEnum } from '../../../schemas/common'
import { MenteeUpdate } from '../../../schemas/mentees'
import { MentorUpdate } from '../../../schemas/mentors'
import { readForm, refusalProblems } from '../../../web/forms'
import { type Problems, viewOf } from '../../../web/layout'
import { menteeProfilePage, mentorProfilePage } from '../../../web/pages/participant'

type Kind = 'mentor' | 'mentee'
// The fields of PUT /api/mentors/:id and /api/mentees/:id that are the person's own (not status, not deleted).
const { status: _mentorStatus, deleted: _mentorDeleted, ...mentorFields } = MentorUpdate
const { status: _menteeStatus, deleted: _menteeDeleted, ...menteeFields } = MenteeUpdate
const MentorForm = Body({ kind: StringEnum(['mentor']), ...mentorFields })
const MenteeForm = Body({ kind: StringEnum(['mentee']), ...menteeFields })
const ONE = { limit: 1, offset: 0 }

/** A MENTOR keeps a mentor profile; everyone else a mentee profile, unless they ask for the other kind. */
const kindOf = (caller: Caller, asked: string | undefined): Kind =>
  asked === 'mentor' || asked === 'mentee' ? asked : caller.user.role === 'MENTOR' ? 'mentor' : 'mentee'

const profile: FastifyPluginAsyncTypebox = async (fastify) => {
  const { mentors, mentees, experiences, invitations } = fastify.domain

  function render (request: FastifyRequest, reply: FastifyReply, kind: Kind, form: Record<string, string> = {}, problems: Problems = {}) {
    const { caller } = request
    const view = viewOf(request, reply)
    const status = Object.keys(problems).length > 0 ? 400 : 200
    if (kind === 'mentor') {
      const mine = mentors.list(caller, { user_id: caller.user.id, ...ONE }).rows[0]
      const skills = experiences.list(caller, { user_id: caller.user.id, limit: 200, offset: 0 }).rows
      return reply.code(status).html(mentorProfilePage(view, mine, form, problems, skills, {}))
    }
    const mine = mentees.list(caller, { user_id: caller.user.id, ...ONE }).rows[0]
    const choices = mentors.list(caller, { status: 'AVAILABLE', limit: 200, offset: 0 }).rows
    // A first profile starts from the week the person was invited for; what they typed wins.
    const start = mine ? form : { lambda_week: invitations.cohortWeekOf(caller), ...form }
    return reply.code(status).html(menteeProfilePage(view, mine, start, problems, choices))
  }

  fastify.get('/', {
    config: { access: 'member', page: true },
    schema: { summary: 'Page: my mentor profile (bio, capacity, experiences) or mentee profile (interests, week, wanted mentor)', tags: ['pages'], querystring: Type.Object({ kind: Type.Optional(StringEnum(['mentor', 'mentee'])) }) }
  }, async (request, reply) => render(request, reply, kindOf(request.caller, request.query.kind)))

  fastify.post('/', {
    config: { access: 'member', page: true },
    schema: { summary: 'Page: create my profile (PENDING until staff approve it) or save it', tags: ['pages'] }
  }, async (request, reply) => {
    const { caller } = request
    const raw = request.body as Record<string, string>
    const kind = kindOf(caller, raw.kind)
    try {
      if (kind === 'mentor') {
        const form = readForm(MentorForm, request.body as Form)
        if (!form.ok) return render(request, reply, kind, raw, form.problems)
        const { kind: _kind, ...fields } = form.value
        const mine = mentors.list(caller, { user_id: caller.user.id, ...ONE }).rows[0]
        if (mine) mentors.update(caller, mine.id, fields)
        else mentors.create(caller, fields)
      } else {
        const form = readForm(MenteeForm, request.body as Form)
        if (!form.ok) return render(request, reply, kind, raw, form.problems)
        const { kind: _kind, lambda_week, ...fields } = form.value
        const mine = mentees.list(caller, { user_id: caller.user.id, ...ONE }).rows[0]
        if (mine) mentees.update(caller, mine.id, { lambda_week, ...fields })
        else if (lambda_week === undefined) return render(request, reply, kind, raw, { lambda_week: 'lambda_week is required: the cohort week of the mentee, an integer from 1' })
        else mentees.create(caller, { lambda_week, ...fields })
      }
      return reply.redirect(`/me/profile?kind=${kind}`, 303)
    } catch (error) {
      // A capacity below the active matches (conflict); a wanted mentor of no use (invalid).
      return render(request, reply, kind, raw, refusalProblems(error, kind === 'mentor' ? { conflict: 'capacity' } : { invalid: 'wanted_mentor_id' }))
    }
  })
}

export default profile
