import { randomBytes } from 'node:crypto'
import { CsvError, parse as parseCsv } from 'csv-parse/sync'
import { and, desc, eq, gt, lte, or, type Placeholder, sql } from 'drizzle-orm'
import { tokenHash } from '../db/tokens'
import { type INVITATION_ROLES, type INVITATION_STATUSES, invitations, users } from '../db/schema'
import type { Caller, User } from './caller'
import { conflict, forbidden, gone, invalid, notFound, Refusal } from './errors'
import type { Organization } from './organizations'
import { hashPassword, passwordWeakness } from './passwords'
import { mayGrant } from './policy'
import { immediately, type Page, Scope, scopedRead, type Store } from './tenancy'

export type Invitation = typeof invitations.$inferSelect
export type InvitationRole = (typeof INVITATION_ROLES)[number]
export type InvitationStatus = (typeof INVITATION_STATUSES)[number]
type NewUser = typeof users.$inferInsert

export interface Mail {
  to: string
  subject: string
  text: string
  headers?: Record<string, string>
}

/** Sends email; rejects when the mail server cannot be reached or refuses the message. */
export interface Mailer {
  send (mail: Mail): Promise<void>
}

/** What the invitations need from the installation. */
export interface InvitationSettings {
  /** The front end, whose `/invitations/<token>` page accepts an invitation; unset: this server's own address. */
  appUrl: string | undefined
  lifetimeDays: number
  /** null: no email is sent, and staff share the link. */
  mailer: Mailer | null
  /** Whether the email also offers joining with GitHub. */
  gitHubSignIn: boolean
  log: { warn (details: object, message: string): void }
  /**
   * The check of one row of an import against the fields of a single invitation (trimming and
   * lower-casing it as a request body is): the same schema, refused in the same words.
   */
  checkRow: (row: unknown) => { error: string, details: Array<{ field: string, message: string }> } | undefined
}

export interface Delivery {
  email_sent: boolean
  email_error?: string
}

export interface NewInvitation {
  email: string
  name?: string | null
  role?: InvitationRole
  /** The cohort week: the invited mentee's profile form starts from it. */
  lambda_week?: number | null
  /** The ADMINISTRATOR names the organization to invite to. */
  organization_id?: number
}

/** What an invitation says, checked: its role defaulted. */
interface InvitationFields {
  email: string
  name?: string | null
  role: InvitationRole
  lambda_week?: number | null
}

/** The columns of an invitations file, in the order a template lists them; `week` is the cohort week. */
export const INVITATION_FILE_COLUMNS = ['email', 'name', 'role', 'week'] as const

/** The most rows one import takes: a large cohort, checked and written in one transaction in about a second. */
export const MAX_IMPORT_ROWS = 10_000

/** How many invitation emails are sent at once after an import. */
const MAILS_AT_ONCE = 4

export interface ImportOptions {
  /** Check every row and answer what would happen, writing nothing and sending nothing. */
  dryRun: boolean
  /** The ADMINISTRATOR names the organization to invite to. */
  organization_id?: number
}

export interface InvitationQuery extends Page {
  status?: InvitationStatus
}

const DAY_MS = 24 * 60 * 60 * 1000
const now = () => new Date().toISOString()
/** 32 random bytes: 256 bits, URL-safe. */
const newToken = () => randomBytes(32).toString('base64url')
const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim()

/** Expiry is read, never written: a PENDING invitation past its date is EXPIRED. */
export function statusOf (invitation: Pick<Invitation, 'status' | 'expires_at'>, at = now()): InvitationStatus {
  return invitation.status === 'PENDING' && invitation.expires_at <= at ? 'EXPIRED' : invitation.status
}

/** The same reading of the status, as a condition on the table. */
function hasStatus (status: InvitationStatus, at: string | Placeholder = now()) {
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

const quoted = (name: string) => `"${name}"`

/** The header row: known columns in any order, each once, email among them. */
function invitationFileColumns (header: string[]): string[] {
  const columns = header.map((name) => name.trim().toLowerCase())
  const known: readonly string[] = INVITATION_FILE_COLUMNS
  const unknown = columns.filter((name) => !known.includes(name))
  if (unknown.length > 0) {
    throw invalid(`Unknown column ${unknown.map(quoted).join(', ')}: the columns are ${INVITATION_FILE_COLUMNS.join(', ')} (email required), named in the header row`)
  }
  const twice = columns.find((name, index) => columns.indexOf(name) !== index)
  if (twice) throw invalid(`The column ${quoted(twice)} appears twice in the header row`)
  if (!columns.includes('email')) throw invalid(`The file has no email column: its header row names ${columns.map(quoted).join(', ')}`)
  return columns
}

/**
 * The rows of an invitations file (CSV with a header row in any column order; quoted fields, a
 * byte order mark, CRLF line ends and short rows are fine). An empty or missing cell counts as absent; a week of digits
 * becomes a number, anything else stays text for the row's check to refuse. A file that cannot be
 * read, or that names no email column, is refused whole.
 */
export function readInvitationFile (text: string): Array<Record<string, unknown>> {
  let records: Array<Record<string, string>>
  try {
    records = parseCsv(text, { bom: true, columns: invitationFileColumns, skip_empty_lines: true, relax_column_count_less: true })
  } catch (error) {
    if (error instanceof CsvError) throw invalid(`The CSV file cannot be read: ${error.message}`)
    throw error
  }
  if (records.length === 0) {
    throw invalid(`The file has no rows: it needs a header row (${INVITATION_FILE_COLUMNS.join(',')}) and one row per person`)
  }
  return records.map((record) => {
    const row: Record<string, unknown> = {}
    for (const [column, value] of Object.entries(record)) {
      const cell = value.trim()
      if (cell === '' && column !== 'email') continue
      row[column] = column === 'week' && /^\d+$/.test(cell) ? Number(cell) : cell
    }
    return row
  })
}

/** Runs `work` on every item, `atOnce` at a time, in order of the items. */
async function inTurns<T, R> (items: T[], atOnce: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = []
  let next = 0
  const worker = async () => {
    for (let index = next++; index < items.length; index = next++) results[index] = await work(items[index]!)
  }
  await Promise.all(Array.from({ length: Math.min(atOnce, items.length) }, worker))
  return results
}

/** Staff invite people; the invitee accepts through the link, with a password or a GitHub account. */
export function createInvitations (store: Store, settings: InvitationSettings) {
  const { tables } = store
  const appUrl = settings.appUrl?.replace(/\/+$/, '')
  // Email addresses are unique across the installation, so an invitee is looked for everywhere.
  const userByEmail = tables.users.lookup(users.email)

  const invitationByToken = tables.invitations.lookup(invitations.token_hash)
  // Prepared once: an import asks it for every row.
  const pendingInvitation = scopedRead(invitations.organization_id, (inScope) => store.db.select({ id: invitations.id }).from(invitations)
    .where(and(inScope, eq(invitations.organization_id, sql.placeholder('organizationId')), eq(invitations.email, sql.placeholder('email')),
      hasStatus('PENDING', sql.placeholder('at'))))
    .limit(1).prepare())
  const joinedBy = scopedRead(invitations.organization_id, (inScope) => store.db.select({ lambda_week: invitations.lambda_week }).from(invitations)
    .where(and(inScope, eq(invitations.email, sql.placeholder('email')), eq(invitations.status, 'ACCEPTED')))
    .orderBy(desc(invitations.accepted_at)).limit(1).prepare())

  /** What staff see of an invitation: never its token, which exists only as a hash. */
  function present ({ token_hash: _secret, ...invitation }: Invitation) {
    return { ...invitation, status: statusOf(invitation) }
  }

  /**
   * A new token for the invitation: the only moment it exists in the clear, shown to the staff
   * member who asked and mailed to the invitee. `serverUrl` is this server's address as the caller
   * reached it, for the link when APP_URL is unset.
   */
  function issueToken (serverUrl: string) {
    const token = newToken()
    const acceptUrl = `${appUrl ?? serverUrl}/invitations/${token}`
    return { token, token_hash: tokenHash(token), accept_url: acceptUrl }
  }

  function ensureUnregistered (email: string): void {
    if (userByEmail(Scope.acrossOrganizations, email)) throw conflict('A user with this email is already registered: sign in instead')
  }

  function ensureMayInvite (caller: Caller, role: InvitationRole): void {
    if (!mayGrant(caller, role)) throw forbidden('A MANAGER cannot invite an OWNER')
  }

  /** The caller's own organization; only an ADMINISTRATOR, who belongs to none, names the one to invite to. */
  function invitingOrganization (caller: Caller, organization_id: number | undefined): Organization {
    const organizationId = caller.user.role === 'ADMINISTRATOR' ? organization_id : caller.user.organization_id
    if (organization_id !== undefined && organization_id !== organizationId) {
      throw forbidden('You can invite people only to your own organization')
    }
    if (organizationId == null) throw invalid('organization_id is required: name the organization to invite to')
    const organization = tables.organizations.find(caller.scope, organizationId)
    if (!organization) throw invalid('organization_id names no organization')
    return organization
  }

  /** One pending invitation per email and organization: call it inside the transaction that writes. */
  function ensureNoPendingInvitation (caller: Caller, organizationId: number, email: string): void {
    if (pendingInvitation(caller.scope, { organizationId, email, at: now() })) {
      throw conflict('This email already has a pending invitation to the organization: remove it first to invite again')
    }
  }

  function write (caller: Caller, organizationId: number, fields: InvitationFields, secret: { token_hash: string }): Invitation {
    return tables.invitations.insert(caller.scope, {
      token_hash: secret.token_hash,
      organization_id: organizationId,
      email: fields.email,
      name: fields.name,
      role: fields.role,
      lambda_week: fields.lambda_week ?? null,
      invited_by: caller.user.id,
      expires_at: new Date(Date.now() + settings.lifetimeDays * DAY_MS).toISOString()
    })
  }

  /** Mails the invitation when SMTP is configured; a failure is logged and reported, never thrown. */
  async function deliver (invitation: ReturnType<typeof present> & { token: string, accept_url: string }, organization: Organization, inviter: User, serverUrl: string): Promise<Delivery> {
    if (!settings.mailer) return { email_sent: false }
    const api = `${serverUrl}/api/invitations/${invitation.token}`
    const inviterName = oneLine(`${inviter.first_name ?? ''} ${inviter.last_name ?? ''}`) || inviter.email
    const lines = [
      `Hello${invitation.name ? ` ${oneLine(invitation.name)}` : ''},`,
      '',
      `${inviterName} invites you to join ${oneLine(organization.name)} on MentorMatchr as ${invitation.role}.`,
      '',
      `Accept the invitation: ${invitation.accept_url}`,
      ...(settings.gitHubSignIn ? [`Or join with your GitHub account: ${api}/github`] : []),
      '',
      `The invitation is for ${invitation.email} and expires on ${invitation.expires_at}.`,
      'If you did not expect it, you can ignore this email.'
    ]
    try {
      await settings.mailer.send({
        to: invitation.email,
        subject: `You are invited to join ${oneLine(organization.name)} on MentorMatchr`,
        text: lines.join('\n')
      })
      return { email_sent: true }
    } catch (error) {
      settings.log.warn({ err: error, organization_id: invitation.organization_id }, 'invitation email not sent')
      const code = (error as { responseCode?: unknown }).responseCode
      const reason = typeof code === 'number'
        ? `the mail server refused it (SMTP ${code})`
        : 'the mail server could not be reached'
      return { email_sent: false, email_error: `The invitation email was not sent: ${reason}. Share the invitation link instead.` }
    }
  }

  /** The invitation behind a public link, if it can still be accepted: else 404 or 410. */
  function open (token: string): Invitation {
    const invitation = invitationByToken(Scope.acrossOrganizations, tokenHash(token))
    if (!invitation) throw notFound('Invitation')
    if (invitation.status === 'ACCEPTED') throw gone('This invitation has already been accepted: sign in instead')
    if (statusOf(invitation) === 'EXPIRED') throw gone('This invitation has expired: ask the organization for a new one')
    return invitation
  }

  /**
   * Creates the invited user and marks the invitation ACCEPTED, together or not at all. The token
   * is opened again, and the email checked unregistered, in the IMMEDIATE transaction that writes:
   * a link replaced by a resend, accepted or expired meanwhile creates nobody. `user` checks what
   * the acceptance brings against the invitation, then gives the new user's own fields.
   */
  function accept (token: string, user: (invitation: Invitation) => Omit<NewUser, 'organization_id' | 'email' | 'role'>): User {
    return immediately(store, () => {
      const invitation = open(token)
      const fields = user(invitation)
      ensureUnregistered(invitation.email)
      const scope = Scope.organization(invitation.organization_id)
      tables.invitations.update(scope, invitation.id, { status: 'ACCEPTED', accepted_at: now() })
      return tables.users.insert(scope, { ...fields, email: invitation.email, role: invitation.role })
    })
  }

  return {
    ensureUnregistered,
    open,
    accept,

    /** The cohort week of the invitation the caller joined by: where their mentee profile form starts. */
    cohortWeekOf (caller: Caller): number | null {
      return joinedBy(caller.scope, { email: caller.user.email })?.lambda_week ?? null
    },

    /** Writes the invitation (one pending invitation per email and organization), then emails it. */
    async create (caller: Caller, input: NewInvitation, serverUrl: string) {
      const { email, name, role = 'MENTEE', lambda_week, organization_id } = input
      ensureMayInvite(caller, role)
      const secret = issueToken(serverUrl)
      const { organization, invitation } = immediately(store, () => {
        const organization = invitingOrganization(caller, organization_id)
        ensureUnregistered(email)
        ensureNoPendingInvitation(caller, organization.id, email)
        return { organization, invitation: write(caller, organization.id, { email, name, role, lambda_week }, secret) }
      })
      const record = { ...present(invitation), token: secret.token, accept_url: secret.accept_url }
      return { ...record, ...await deliver(record, organization, caller.user, serverUrl) }
    },

    /**
     * Invites a cohort: every row is checked as a single invitation is (its fields, the role the
     * caller may grant, an email already registered or already invited), and a row repeating an
     * earlier row's email is refused. The rows that pass are written together, in one transaction,
     * and their emails sent after it; the others are reported with the reason. A dry run checks
     * and writes nothing. Each row's result comes back in the order of the rows.
     */
    async import (caller: Caller, rows: unknown[], options: ImportOptions, serverUrl: string) {
      const organization = invitingOrganization(caller, options.organization_id)
      if (rows.length === 0) throw invalid('There are no rows to import')
      if (rows.length > MAX_IMPORT_ROWS) {
        throw invalid(`${rows.length} rows are more than one import takes (${MAX_IMPORT_ROWS}): split the file`)
      }

      const decide = () => {
        const firstRowOf = new Map<string, number>()
        return rows.map((input, index) => {
          const row = index + 1
          const refused = settings.checkRow(input)
          const given = input as Record<string, unknown>
          const email = typeof given?.email === 'string' ? given.email : null
          if (refused) return { row, email, status: 'refused' as const, ...refused }
          const { week, ...invitation } = input as Omit<InvitationFields, 'lambda_week'> & { week?: number }
          const fields: InvitationFields = { ...invitation, lambda_week: week }
          try {
            const first = firstRowOf.get(fields.email)
            if (first !== undefined) throw conflict(`Row ${first} of the same file already invites this email`)
            firstRowOf.set(fields.email, row)
            ensureMayInvite(caller, fields.role)
            ensureUnregistered(fields.email)
            ensureNoPendingInvitation(caller, organization.id, fields.email)
          } catch (error) {
            if (error instanceof Refusal) return { row, email, status: 'refused' as const, error: error.message }
            throw error
          }
          return { row, email, week, status: 'valid' as const, fields }
        })
      }

      if (options.dryRun) return summarized(store.db.transaction(decide).map(({ fields: _checked, ...decision }) => decision), true)
      const written = immediately(store, () => {
        // Read again under the lock: an organization erased by another process since refuses the file whole.
        invitingOrganization(caller, options.organization_id)
        return decide().map((decision) => {
          if (decision.status !== 'valid') return decision
          const secret = issueToken(serverUrl)
          const invitation = write(caller, organization.id, decision.fields, secret)
          return { ...decision, invitation: { ...present(invitation), token: secret.token, accept_url: secret.accept_url } }
        })
      })
      const results = await inTurns(written, MAILS_AT_ONCE, async ({ fields: _checked, ...decision }) => {
        if (!('invitation' in decision)) return decision
        const delivery = await deliver(decision.invitation, organization, caller.user, serverUrl)
        return { ...decision, status: 'created' as const, invitation: { ...decision.invitation, ...delivery } }
      })
      return summarized(results, false)
    },

    /** A new token (the old one stops working), the expiry restarted, the email sent again. */
    async resend (caller: Caller, id: number, serverUrl: string) {
      const secret = issueToken(serverUrl)
      const invitation = immediately(store, () => {
        const current = tables.invitations.get(caller.scope, id)
        if (!mayGrant(caller, current.role)) throw forbidden('Only an OWNER resends an invitation to become OWNER')
        if (current.status === 'ACCEPTED') throw conflict('This invitation has been accepted already: there is nothing to resend')
        return tables.invitations.update(caller.scope, current.id, {
          token_hash: secret.token_hash,
          status: 'PENDING',
          expires_at: new Date(Date.now() + settings.lifetimeDays * DAY_MS).toISOString()
        })
      })
      const organization = tables.organizations.get(Scope.organization(invitation.organization_id), invitation.organization_id)
      const record = { ...present(invitation), token: secret.token, accept_url: secret.accept_url }
      return { ...record, ...await deliver(record, organization, caller.user, serverUrl) }
    },

    list (caller: Caller, { status, ...page }: InvitationQuery) {
      const { rows, total } = tables.invitations.list(caller.scope, { ...page, where: [status ? hasStatus(status) : undefined] })
      return { rows: rows.map(present), total }
    },

    /** What the invitee sees before accepting: the offer and the organization behind it. */
    preview (token: string) {
      const invitation = open(token)
      // The organization exists: erasing it erases its invitations.
      const organization = tables.organizations.get(Scope.acrossOrganizations, invitation.organization_id)
      return {
        ...invitation,
        status: statusOf(invitation),
        organization: { id: organization.id, name: organization.name, logo: organization.logo }
      }
    },

    /** Accepting with a password: the user is created with the invitation's email, role and organization. */
    async acceptWithPassword (token: string, answer: { password: string, email?: string, first_name?: string | null, last_name?: string | null }): Promise<User> {
      const { password, email, first_name, last_name } = answer
      const invitation = open(token)
      if (email !== undefined && email !== invitation.email) throw forbidden('This invitation is for another email address')
      ensureUnregistered(invitation.email)
      const weakness = await passwordWeakness(password, [invitation.email, invitation.name, first_name, last_name])
      if (weakness) throw invalid(weakness)
      const password_hash = await hashPassword(password)
      // Names given win; without any, the name staff wrote on the invitation stands in.
      const names = first_name !== undefined || last_name !== undefined ? { first_name, last_name } : splitName(invitation.name)
      return accept(token, () => ({ ...names, password_hash }))
    },

    /** Revokes and erases an invitation; a user who already accepted it stays. */
    remove (caller: Caller, id: number): void {
      immediately(store, () => {
        const invitation = tables.invitations.get(caller.scope, id)
        if (!mayGrant(caller, invitation.role)) throw forbidden('Only an OWNER revokes an invitation to become OWNER')
        tables.invitations.remove(caller.scope, invitation.id)
      })
    }
  }
}

/** The results of an import and how many rows ended each way. */
function summarized<R extends { status: 'created' | 'valid' | 'refused', invitation?: { email_sent: boolean } }> (results: R[], dryRun: boolean) {
  const count = (status: R['status']) => results.filter((result) => result.status === status).length
  return {
    dry_run: dryRun,
    summary: {
      rows: results.length,
      valid: results.length - count('refused'),
      created: count('created'),
      refused: count('refused'),
      emails_sent: results.filter((result) => result.invitation?.email_sent).length
    },
    results
  }
}

export type Invitations = ReturnType<typeof createInvitations>
