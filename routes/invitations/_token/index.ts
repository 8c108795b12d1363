import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Refusal } from '../../../domain/errors'
import type { Form } from '../../../web/form-data'
import { Body, Nullable, Password } from '../../../schemas/common'
import { Name } from '../../../schemas/users'
import { readForm, refusalProblems } from '../../../web/forms'
import { viewOf } from '../../../web/layout'
import { invitationPage, invitationUnusable } from '../../../web/pages/auth'

// POST /api/invitations/:token's body, as far as this form asks.
const Acceptance = Body({ password: Password, first_name: Type.Optional(Nullable(Name)), last_name: Type.Optional(Nullable(Name)) })
const Params = Type.Object({ token: Type.String({ minLength: 1, maxLength: 100 }) })

/** The page an invitation's link (`accept_url`) opens: the offer, and a password to accept it. */
const invitationRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { invitations } = fastify.domain
  const gitHub = fastify.github !== null

  fastify.get('/', {
    config: { access: 'public', page: true },
    schema: { summary: 'Page: what an invitation offers, and the form to accept it', tags: ['pages'], params: Params }
  }, async (request, reply) => {
    const view = viewOf(request, reply)
    try {
      const offer = invitations.preview(request.params.token)
      return reply.html(invitationPage(view, request.params.token, offer, undefined, {}, gitHub))
    } catch (error) {
      if (!(error instanceof Refusal)) throw error
      return reply.code(error.kind === 'gone' ? 410 : 404).html(invitationUnusable(view, error.message))
    }
  })

  fastify.post('/', {
    config: { access: 'public', page: true, credentials: true },
    schema: { summary: 'Page: accept an invitation with a password; signs the new user in', tags: ['pages'], params: Params }
  }, async (request, reply) => {
    const { token } = request.params
    const raw = request.body as Record<string, string>
    const view = viewOf(request, reply)
    let offer
    try {
      offer = invitations.preview(token)
    } catch (error) {
      if (!(error instanceof Refusal)) throw error
      return reply.code(error.kind === 'gone' ? 410 : 404).html(invitationUnusable(view, error.message))
    }
    const form = readForm(Acceptance, request.body as Form)
    if (!form.ok) return reply.code(400).html(invitationPage(view, token, offer, raw, form.problems, gitHub))
    try {
      const user = await invitations.acceptWithPassword(token, form.value)
      reply.startSession(user)
      return reply.redirect('/', 303)
    } catch (error) {
      return reply.code(400).html(invitationPage(view, token, offer, raw, refusalProblems(error, { invalid: 'password' }), gitHub))
    }
  })
}

export default invitationRoutes
