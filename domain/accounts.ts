import { randomBytes } from 'node:crypto'
import { users } from '../db/schema'
import type { User } from './caller'
import { conflict, forbidden, invalid, Refusal, refusingDuplicates, unauthenticated } from './errors'
import { type Invitations, splitName } from './invitations'
import type { Organization } from './organizations'
import { hashPassword, passwordWeakness, verifyPassword } from './passwords'
import { signedInUsers } from './signed-in-users'
import { immediately, Scope, type Store } from './tenancy'

/** What MentorMatchr learns from GitHub about the account that signed in. */
export interface GitHubAccount {
  id: number
  login: string
  name: string | null
  avatar_url: string | null
  /** The verified addresses only, lower-cased, the primary one first. */
  emails: string[]
}

export interface Registration {
  organization_name: string
  email: string
  password: string
  first_name?: string | null
  last_name?: string | null
  organization_description?: string | null
  organization_logo?: string | null
}

const NO_SUCH_USER = 'Cannot log in! User not found.'
const DELETED = 'This MentorMatchr user has been deleted: ask your organization to restore it'

/**
 * How people come in: registering an organization, signing in with a password or GitHub, and the
 * installation's ADMINISTRATOR. Nobody is known yet when these run, so they look across organizations.
 */
export function createAccounts (store: Store, invitations: Invitations) {
  const { tables } = store
  const userByEmail = tables.users.lookup(users.email)
  const userByGitHubId = tables.users.lookup(users.github_id)
  // A hash of a password nobody has, made the first time an unknown email tries to sign in.
  let nobodysHash: Promise<string> | undefined
  const hashOfNobody = () => (nobodysHash ??= hashPassword(randomBytes(16).toString('hex')))
  const signedInUser = signedInUsers(store)

  function link (user: User, account: GitHubAccount): User {
    if (user.github_id === account.id && user.github_login === account.login) return user
    return tables.users.update(Scope.acrossOrganizations, user.id, { github_id: account.id, github_login: account.login })
  }

  return {
    /** The signed-in user a token names, if they still exist and are not deleted. */
    activeUser (id: number): Readonly<User> | undefined {
      return signedInUser(id)
    },

    /** Ends every session of the user: the tokens issued so far stop working, in every browser and client. */
    signOutEverywhere (userId: number): void {
      immediately(store, () => {
        const user = tables.users.get(Scope.acrossOrganizations, userId, true)
        tables.users.update(Scope.acrossOrganizations, user.id, { session_generation: user.session_generation + 1 })
      })
    },

    /** An organization and its first user, an OWNER, together or not at all. */
    async register (input: Registration): Promise<{ organization: Organization, user: User }> {
      const weakness = await passwordWeakness(input.password, [input.email, input.first_name, input.last_name, input.organization_name])
      if (weakness) throw invalid(weakness)
      const password_hash = await hashPassword(input.password)
      return refusingDuplicates(() => immediately(store, () => {
        const organization = tables.organizations.insert(Scope.acrossOrganizations, {
          name: input.organization_name,
          description: input.organization_description,
          logo: input.organization_logo
        })
        const user = tables.users.insert(Scope.organization(organization.id), {
          email: input.email,
          password_hash,
          first_name: input.first_name,
          last_name: input.last_name,
          role: 'OWNER'
        })
        return { organization, user }
      }), () => 'User or organization already registered')
    },

    /**
     * The user of this email and password; the messages are the original system's. An unknown
     * email costs a password check too, against a hash of nothing, so the time of the answer does
     * not tell which emails have an account (the status code does, as the customer requires).
     */
    async logIn (email: string, password: string): Promise<User> {
      const user = userByEmail(Scope.acrossOrganizations, email)
      if (!user || user.deleted) {
        await verifyPassword(password, await hashOfNobody())
        throw new Refusal('not-found', NO_SUCH_USER)
      }
      if (!(await verifyPassword(password, user.password_hash))) throw unauthenticated('Cannot log in! Wrong credentials.')
      // The user as they are now, after the slow check: a sign-out meanwhile must not leave the new token of the old generation.
      const current = tables.users.find(Scope.acrossOrganizations, user.id)
      if (!current) throw new Refusal('not-found', NO_SUCH_USER)
      return current
    },

    /**
     * The user linked to the GitHub account, else the user of one of its verified emails (then
     * linked): read and linked in one IMMEDIATE transaction, so a link or deletion made meanwhile counts.
     */
    signInWithGitHub (account: GitHubAccount): User {
      return immediately(store, () => {
        const linked = userByGitHubId(Scope.acrossOrganizations, account.id)
        if (linked) {
          if (linked.deleted) throw forbidden(DELETED)
          return link(linked, account)
        }
        // The primary email comes first, so it decides when several addresses have users.
        const user = account.emails.map((email) => userByEmail(Scope.acrossOrganizations, email)).find(Boolean)
        if (!user) {
          throw forbidden('No MentorMatchr user has this GitHub account or one of its verified emails: ask your organization for an invitation')
        }
        if (user.deleted) throw forbidden(DELETED)
        if (user.github_id !== null) throw forbidden('This MentorMatchr user is linked to another GitHub account')
        return link(user, account)
      })
    },

    /** Creates the invited user from a GitHub account, which must have the invitation's email verified. */
    joinWithGitHub (invitationId: string, account: GitHubAccount): User {
      return invitations.accept(invitationId, (invitation) => {
        if (!account.emails.includes(invitation.email)) {
          throw forbidden(`This invitation is for ${invitation.email}, which is not a verified email of this GitHub account`)
        }
        if (userByGitHubId(Scope.acrossOrganizations, account.id)) {
          throw conflict('This GitHub account already belongs to a MentorMatchr user: sign in with GitHub instead')
        }
        return { ...splitName(account.name ?? invitation.name), github_id: account.id, github_login: account.login, avatar_url: account.avatar_url }
      })
    },

    /** The installation's ADMINISTRATOR: a user of no organization, who sees them all. */
    async createAdministrator (email: string, password: string): Promise<User> {
      const weakness = await passwordWeakness(password, [email])
      if (weakness) throw invalid(weakness)
      const password_hash = await hashPassword(password)
      return refusingDuplicates(
        () => tables.users.insert(Scope.acrossOrganizations, { organization_id: null, email, password_hash, role: 'ADMINISTRATOR' }),
        () => `A user with the email ${email} already exists: nothing was created`)
    }
  }
}

export type Accounts = ReturnType<typeof createAccounts>
