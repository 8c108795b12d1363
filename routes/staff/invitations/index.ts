import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Form } from '../../../web/form-data'
import { Body, Email, Id, Line, Nullable } from '../../../schemas/common'
import { CohortWeek, NewInvitationRole } from '../../../schemas/invitations'
import { InvitationsQuery } from '../../../schemas/pages'
import { readForm, refusalProblems } from '../../../web/forms'
import { pageOf, type Problems, viewOf } from '../../../web/layout'
import { type InviteForm, invitationsPage, type IssuedLink } from '../../../web/pages/staff'

// POST /api/invitations's body, as far as this form asks (the organization: the ADMINISTRATOR only).
const Invite = Body({
  email: Email,
  name: Type.Optional(Nullable(Line(200))),
  role: Type.Optional(NewInvitationRole),
  lambda_week: Type.Optional(Nullable(CohortWeek)),
  organization_id: Type.Optional(Id)
})

/** The ADMINISTRATOR belongs to no organization, so they pick the one to invite to. */
const picksOrganization = (request: FastifyRequest) => request.caller.user.role === 'ADMINISTRATOR'

export const serverUrlOf = (request: { protocol: string, host: string }) => `${request.protocol}://${request.host}`

/** The invitations page: the form, what was just issued, and the list (first page, no filter, after a POST). */
export function renderInvitations (request: FastifyRequest, reply: FastifyReply, options: { form?: InviteForm, problems?: Problems, issued?: IssuedLink, status?: 400 | 200, query?: { status?: string, page: number } } = {}) {
  const { query = { page: 1 }, form = {}, problems = {}, issued, status = 200 } = options
  const { rows, total } = request.server.domain.invitations.list(request.caller, {
    status: (query.status || undefined) as 'PENDING' | undefined,
    ...pageOf(query.page)
  })
  const organizations = picksOrganization(request) ? request.server.domain.organizations.choices(request.caller) : undefined
  return reply.code(status).html(invitationsPage(viewOf(request, reply), query, rows, total, form, problems, issued, organizations))
}

const invitations: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get('/', {
    config: { access: 'staff', page: true },
    schema: { summary: "Page: the organization's invitations (status, expiry, resend, revoke) and the form to invite one person", tags: ['pages'], querystring: InvitationsQuery }
  }, async (request, reply) => renderInvitations(request, reply, { query: request.query }))

  fastify.post('/', {
    config: { access: 'staff', page: true },
    schema: { summary: 'Page: invite one person; shows the link once', tags: ['pages'] }
  }, async (request, reply) => {
    const raw = request.body as InviteForm
    const form = readForm(Invite, request.body as Form)
    if (!form.ok) return renderInvitations(request, reply, { form: raw, problems: form.problems, status: 400 })
    try {
      const issued = await fastify.domain.invitations.create(request.caller, form.value, serverUrlOf(request))
      return renderInvitations(request, reply, { issued })
    } catch (error) {
      // Already registered or already invited: both are about the email. No organization chosen, or one that is gone: the ADMINISTRATOR's pick.
      const fields = { conflict: 'email', forbidden: 'role', ...(picksOrganization(request) && { invalid: 'organization_id' }) }
      return renderInvitations(request, reply, { form: raw, problems: refusalProblems(error, fields), status: 400 })
    }
  })
}

export default invitations
