import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Form } from '../../../web/form-data'
import { Body } from '../../../schemas/common'
import { ExperienceName } from '../../../schemas/experiences'
import { readForm, refusalProblems } from '../../../web/forms'
import { viewOf } from '../../../web/layout'
import { mentorProfilePage } from '../../../web/pages/participant'

const NewExperience = Body({ name: ExperienceName })

const experiencesRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { experiences, mentors } = fastify.domain

  fastify.post('/', {
    config: { access: 'member', page: true },
    schema: { summary: 'Page: add an experience of mine', tags: ['pages'] }
  }, async (request, reply) => {
    const { caller } = request
    const form = readForm(NewExperience, request.body as Form)
    let problems = form.ok ? {} : form.problems
    if (form.ok) {
      try {
        experiences.create(caller, form.value)
        return reply.redirect('/me/profile?kind=mentor', 303)
      } catch (error) {
        problems = refusalProblems(error, { conflict: 'name' })
      }
    }
    const mine = mentors.list(caller, { user_id: caller.user.id, limit: 1, offset: 0 }).rows[0]
    const skills = experiences.list(caller, { user_id: caller.user.id, limit: 200, offset: 0 }).rows
    return reply.code(400).html(mentorProfilePage(viewOf(request, reply), mine, {}, {}, skills, problems))
  })
}

export default experiencesRoutes
