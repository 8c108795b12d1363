import { randomBytes } from 'node:crypto'
import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { eq } from 'drizzle-orm'
import { invitations } from '../../../db/schema'
import { requireStaff } from '../../../plugins/auth'
import { badRequest, conflict, forbidden } from '../../../plugins/errors'
import { Body, Email, errors, Id, ListQuery, Nullable, sendList } from '../../schemas'
import { sendInvitationEmail } from './email'
import { hasStatus, invitationRules } from './rules'
import { InvitationRecord, InvitationStatus, NewInvitationRole } from './schemas'

const DAY_MS = 24 * 60 * 60 * 1000

/** 32 random bytes: 256 bits, URL-safe. */
const newToken = () => randomBytes(32).toString('base64url')

const invitationsRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const rules = invitationRules(fastify)
  const lifetimeMs = fastify.config.INVITATION_TTL_DAYS * DAY_MS

  fastify.post('/', {
    schema: {
      summary: 'Invite a person to the organization (staff); the invitation is emailed when SMTP is configured',
      tags: ['invitations'],
      body: Body({
        email: Email,
        name: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
        role: Type.Optional(NewInvitationRole),
        organization_id: Type.Optional(Id)
      }),
      response: {
        201: Type.Object({
          ...InvitationRecord.properties,
          email_sent: Type.Boolean({ description: 'Whether the invitation email went out' }),
          email_error: Type.Optional(Type.String({ description: 'Why it did not, when sending failed' }))
        }),
        ...errors(400, 401, 403, 409)
      }
    }
  }, async (request, reply) => {
    const { tenant, user: caller } = request
    requireStaff(caller)
    const { email, name, role = 'MENTEE', organization_id } = request.body
    if (caller.role === 'MANAGER' && role === 'OWNER') throw forbidden('A MANAGER cannot invite an OWNER')
    // Only an ADMINISTRATOR, who belongs to no organization, names the one to invite to.
    const organizationId = caller.role === 'ADMINISTRATOR' ? organization_id : caller.organization_id
    if (organization_id !== undefined && organization_id !== organizationId) {
      throw forbidden('You can invite people only to your own organization')
    }
    if (organizationId == null) throw badRequest('organization_id is required: name the organization to invite to')
    const organization = tenant.organizations.find(organizationId)
    if (!organization) throw badRequest('organization_id names no organization')
    rules.ensureUnregistered(email)

    const invitation = fastify.db.transaction(() => {
      const pending = tenant.invitations.list({
        limit: 1,
        offset: 0,
        where: [eq(invitations.organization_id, organizationId), eq(invitations.email, email), hasStatus('PENDING')]
      })
      if (pending.total > 0) {
        throw conflict('This email already has a pending invitation to the organization: remove it first to invite again')
      }
      return tenant.invitations.insert({
        id: newToken(),
        organization_id: organizationId,
        email,
        name,
        role,
        invited_by: caller.id,
        expires_at: new Date(Date.now() + lifetimeMs).toISOString()
      })
    }, { behavior: 'immediate' })

    const record = rules.present(invitation)
    const delivery = await sendInvitationEmail(fastify, request, { invitation: record, organization, inviter: caller })
    return reply.code(201).send({ ...record, ...delivery })
  })

  fastify.get('/', {
    schema: {
      summary: "List the organization's invitations (staff), newest first",
      tags: ['invitations'],
      querystring: Type.Omit(ListQuery({ status: Type.Optional(InvitationStatus) }), ['include_deleted']),
      response: { 200: Type.Array(InvitationRecord), ...errors(400, 401, 403) }
    }
  }, async (request, reply) => {
    requireStaff(request.user)
    const { status, ...page } = request.query
    const { rows, total } = request.tenant.invitations.list({ ...page, where: [status ? hasStatus(status) : undefined] })
    return sendList(reply, { rows: rows.map(rules.present), total })
  })
}

export default invitationsRoutes
