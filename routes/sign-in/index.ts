import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Form } from '../../web/form-data'
import { Body } from '../../schemas/common'
import { readForm, refusalProblems } from '../../web/forms'
import { viewOf } from '../../web/layout'
import { safeNext, signInPage } from '../../web/pages/auth'

const SignIn = Body({ email: Type.String({ minLength: 1, maxLength: 254 }), password: Type.String({ minLength: 1 }), next: Type.Optional(Type.String()) })

const signIn: FastifyPluginAsyncTypebox = async (fastify) => {
  const gitHub = fastify.github !== null

  fastify.get('/', {
    config: { access: 'public', page: true },
    schema: { summary: 'Page: sign in with email and password (or GitHub)', tags: ['pages'], querystring: Type.Object({ next: Type.Optional(Type.String()) }) }
  }, async (request, reply) => reply.html(signInPage(viewOf(request, reply), { next: request.query.next }, {}, gitHub)))

  fastify.post('/', {
    config: { access: 'public', page: true, credentials: true },
    schema: { summary: 'Page: the sign-in form; starts the session', tags: ['pages'] }
  }, async (request, reply) => {
    const form = readForm(SignIn, request.body as Form)
    const raw = request.body as Record<string, string>
    if (!form.ok) return reply.code(400).html(signInPage(viewOf(request, reply), raw, form.problems, gitHub))
    try {
      const user = await fastify.domain.accounts.logIn(form.value.email, form.value.password)
      reply.startSession(user)
      return reply.redirect(safeNext(form.value.next), 303)
    } catch (error) {
      const problems = refusalProblems(error, { 'not-found': 'email', unauthenticated: 'password' })
      return reply.code(400).html(signInPage(viewOf(request, reply), raw, problems, gitHub))
    }
  })
}

export default signIn
