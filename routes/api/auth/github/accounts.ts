import { eq, sql } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import { users } from '../../../../db/schema'
import type { User } from '../../../../plugins/auth'
import { conflict, forbidden } from '../../../../plugins/errors'
import type { GitHubAccount } from '../../../../plugins/github'
import { invitationRules, splitName } from '../../invitations/rules'

const DELETED = 'This MentorMatchr user has been deleted: ask your organization to restore it'

/** Which MentorMatchr user a GitHub account is: found, linked, or created from an invitation. */
export function gitHubAccounts (fastify: FastifyInstance) {
  const invitations = invitationRules(fastify)
  const { repositories } = fastify
  const userByGitHubId = fastify.db.select().from(users).where(eq(users.github_id, sql.placeholder('id'))).prepare()

  function link (user: User, account: GitHubAccount): User {
    if (user.github_id === account.id && user.github_login === account.login) return user
    return repositories.users.update(null, user.id, { github_id: account.id, github_login: account.login })!
  }

  return {
    /** The user linked to the account, else the user of one of its verified emails (then linked). */
    signIn (account: GitHubAccount): User {
      const linked = userByGitHubId.get({ id: account.id })
      if (linked) {
        if (linked.deleted) throw forbidden(DELETED)
        return link(linked, account)
      }
      // The primary email comes first, so it decides when several addresses have users.
      const user = account.emails.map(invitations.userByEmail).find(Boolean)
      if (!user) {
        throw forbidden('No MentorMatchr user has this GitHub account or one of its verified emails: ask your organization for an invitation')
      }
      if (user.deleted) throw forbidden(DELETED)
      if (user.github_id !== null) throw forbidden('This MentorMatchr user is linked to another GitHub account')
      return link(user, account)
    },

    /** Creates the invited user from the account, which must have the invitation's email verified. */
    acceptInvitation (invitationId: string, account: GitHubAccount): User {
      const invitation = invitations.open(invitationId)
      if (!account.emails.includes(invitation.email)) {
        throw forbidden(`This invitation is for ${invitation.email}, which is not a verified email of this GitHub account`)
      }
      if (userByGitHubId.get({ id: account.id })) {
        throw conflict('This GitHub account already belongs to a MentorMatchr user: sign in with GitHub instead')
      }
      invitations.ensureUnregistered(invitation.email)
      return invitations.accept(invitation, {
        ...splitName(account.name ?? invitation.name),
        github_id: account.id,
        github_login: account.login,
        avatar_url: account.avatar_url
      })
    }
  }
}
