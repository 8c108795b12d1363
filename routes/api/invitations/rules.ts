import { and, eq, gt, lte, or, sql } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import { type INVITATION_STATUSES, invitations, users } from '../../../db/schema'
import { ApiError, conflict, notFound } from '../../../plugins/errors'

export type Invitation = typeof invitations.$inferSelect
type InvitationStatus = (typeof INVITATION_STATUSES)[number]
type NewUser = typeof users.$inferInsert

const now = () => new Date().toISOString()

/** Expiry is read, never written: a PENDING invitation past its date is EXPIRED. */
export function statusOf (invitation: Invitation, at = now()): InvitationStatus {
  return invitation.status === 'PENDING' && invitation.expires_at <= at ? 'EXPIRED' : invitation.status
}

/** The same reading of the status, as a condition on the table. */
export function hasStatus (status: InvitationStatus, at = now()) {
  const pending = eq(invitations.status, 'PENDING')
  switch (status) {
    case 'PENDING': return and(pending, gt(invitations.expires_at, at))
    case 'EXPIRED': return or(eq(invitations.status, 'EXPIRED'), and(pending, lte(invitations.expires_at, at)))
    case 'ACCEPTED': return eq(invitations.status, 'ACCEPTED')
  }
}

/** "Ada King Lovelace" becomes first name "Ada", last name "King Lovelace". */
export function splitName (name: string | null): Pick<NewUser, 'first_name' | 'last_name'> {
  const [first, ...rest] = name?.trim().split(/\s+/) ?? []
  return { first_name: first || null, last_name: rest.join(' ') || null }
}

/** What accepting an invitation means, whichever way (password or GitHub) it is accepted. */
export function invitationRules (fastify: FastifyInstance) {
  const appUrl = fastify.config.APP_URL?.replace(/\/+$/, '')
  const { repositories } = fastify
  // Email addresses are unique across the installation, so this lookup crosses organizations on purpose.
  const userByEmail = fastify.db.select().from(users).where(eq(users.email, sql.placeholder('email'))).prepare()

  function assertOpen (invitation: Invitation): void {
    if (invitation.status === 'ACCEPTED') throw new ApiError(410, 'This invitation has already been accepted: sign in instead')
    if (statusOf(invitation) === 'EXPIRED') throw new ApiError(410, 'This invitation has expired: ask the organization for a new one')
  }

  return {
    userByEmail: (email: string) => userByEmail.get({ email }),

    /** The record as staff see it, with its computed status and the link to share. */
    present (invitation: Invitation) {
      return { ...invitation, status: statusOf(invitation), accept_url: appUrl ? `${appUrl}/invitation/${invitation.id}` : null }
    },

    /** The invitation behind a public link, if it can still be accepted: else 404 or 410. */
    open (id: string): Invitation {
      const invitation = repositories.invitations.find(null, id)
      if (!invitation) throw notFound('Invitation')
      assertOpen(invitation)
      return invitation
    },

    ensureUnregistered (email: string): void {
      if (userByEmail.get({ email })) throw conflict('A user with this email is already registered: sign in instead')
    },

    /**
     * Creates the invited user and marks the invitation ACCEPTED, together or not at all. The
     * invitation changes only while still PENDING and unexpired, so of two acceptances racing, one wins.
     */
    accept (invitation: Invitation, user: Omit<NewUser, 'organization_id' | 'email' | 'role'>) {
      return fastify.db.transaction(() => {
        const at = now()
        const marked = fastify.db.update(invitations).set({ status: 'ACCEPTED', accepted_at: at })
          .where(and(eq(invitations.id, invitation.id), hasStatus('PENDING', at))).run()
        if (marked.changes === 0) throw new ApiError(410, 'This invitation has just been accepted or has expired')
        return repositories.users.insert({
          ...user,
          organization_id: invitation.organization_id,
          email: invitation.email,
          role: invitation.role
        })
      }, { behavior: 'immediate' })
    }
  }
}
