import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { User } from '../../../plugins/auth'
import type { Invitation } from './rules'

export interface Delivery {
  email_sent: boolean
  email_error?: string
}

interface InvitationEmail {
  invitation: Invitation & { accept_url: string | null }
  organization: { name: string }
  inviter: User
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim()

/**
 * Mails the invitation when SMTP is configured. The invitation is already written: a failure is
 * logged and reported, never thrown, and staff can still share the link themselves.
 */
export async function sendInvitationEmail (fastify: FastifyInstance, request: FastifyRequest, { invitation, organization, inviter }: InvitationEmail): Promise<Delivery> {
  if (!fastify.mailer) return { email_sent: false }
  // Without APP_URL there is no front end to link to; the API's own invitation URL stands in.
  const api = `${request.protocol}://${request.host}/api/invitations/${invitation.id}`
  const inviterName = oneLine(`${inviter.first_name ?? ''} ${inviter.last_name ?? ''}`) || inviter.email
  const lines = [
    `Hello${invitation.name ? ` ${oneLine(invitation.name)}` : ''},`,
    '',
    `${inviterName} invites you to join ${oneLine(organization.name)} on MentorMatchr as ${invitation.role}.`,
    '',
    `Accept the invitation: ${invitation.accept_url ?? api}`,
    ...(fastify.github ? [`Or join with your GitHub account: ${api}/github`] : []),
    '',
    `The invitation is for ${invitation.email} and expires on ${invitation.expires_at}.`,
    'If you did not expect it, you can ignore this email.'
  ]
  try {
    await fastify.mailer.send({
      to: invitation.email,
      subject: `You are invited to join ${oneLine(organization.name)} on MentorMatchr`,
      text: lines.join('\n')
    })
    return { email_sent: true }
  } catch (error) {
    request.log.warn({ err: error, organization_id: invitation.organization_id }, 'invitation email not sent')
    const code = (error as { responseCode?: unknown }).responseCode
    const reason = typeof code === 'number'
      ? `the mail server refused it (SMTP ${code})`
      : 'the mail server could not be reached'
    return { email_sent: false, email_error: `The invitation email was not sent: ${reason}. Share the invitation link instead.` }
  }
}
