import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Form } from '../../web/form-data'
import { Body, Email, Nullable, Password } from '../../schemas/common'
import { OrganizationName } from '../../schemas/organizations'
import { Name } from '../../schemas/users'
import { readForm, refusalProblems } from '../../web/forms'
import { viewOf } from '../../web/layout'
import { registerPage } from '../../web/pages/auth'

// POST /api/auth/register's body, as far as this form asks.
const Registration = Body({
  organization_name: OrganizationName,
  email: Email,
  password: Password,
  first_name: Type.Optional(Nullable(Name)),
  last_name: Type.Optional(Nullable(Name))
})

const register: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get('/', {
    config: { access: 'public', page: true },
    schema: { summary: 'Page: register an organization and its OWNER', tags: ['pages'] }
  }, async (request, reply) => reply.html(registerPage(viewOf(request, reply), {}, {})))

  fastify.post('/', {
    config: { access: 'public', page: true, credentials: true },
    schema: { summary: 'Page: the registration form; signs the new OWNER in', tags: ['pages'] }
  }, async (request, reply) => {
    const raw = request.body as Record<string, string>
    const form = readForm(Registration, request.body as Form)
    if (!form.ok) return reply.code(400).html(registerPage(viewOf(request, reply), raw, form.problems))
    try {
      const { user } = await fastify.domain.accounts.register(form.value)
      reply.startSession(user)
      return reply.redirect('/', 303)
    } catch (error) {
      // A weak password is `invalid`; a taken email or organization name, `conflict`.
      const problems = refusalProblems(error, { invalid: 'password' })
      return reply.code(400).html(registerPage(viewOf(request, reply), raw, problems))
    }
  })
}

export default register
