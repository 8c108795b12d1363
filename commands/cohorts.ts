import { createWriteStream, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { and, asc, eq } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import { users } from '../db/schema'
import { callerOf } from '../domain/caller'
import { Refusal } from '../domain/errors'
import { EXPORT_FORMATS, EXPORTS, type ExportFormat, type ExportName } from '../domain/exports'
import { readInvitationFile } from '../domain/invitations'
import { Scope } from '../domain/tenancy'
import { CommandError, UsageError } from './errors'
import { writeOut } from './write-out'

/** A refusal of the domain, said as the command's own failure. */
async function plainly<T> (work: () => Promise<T> | T): Promise<T> {
  try {
    return await work()
  } catch (error) {
    throw error instanceof Refusal ? new CommandError(error.message) : error
  }
}

/** `--organization <id>`: a positive whole number, else a mistake in the call. */
export function organizationOption (value: string | undefined, command: string): number | undefined {
  if (value === undefined) return undefined
  const id = Number(value)
  if (!Number.isSafeInteger(id) || id < 1) throw new UsageError(`${command}: --organization takes an organization id (a positive whole number), not "${value}"`)
  return id
}

export function exportChoice (what: string | undefined, format: string | undefined): { what: ExportName, format: ExportFormat } {
  if (!EXPORTS.includes(what as ExportName)) {
    throw new UsageError(`export needs what to export: mentormatchr export <${EXPORTS.join('|')}> --format <${EXPORT_FORMATS.join('|')}>`)
  }
  if (!EXPORT_FORMATS.includes(format as ExportFormat)) throw new UsageError(`export needs --format ${EXPORT_FORMATS.join(' or ')}`)
  return { what: what as ExportName, format: format as ExportFormat }
}

/** Says how far a long run has come: on a terminal at once, elsewhere only once it has run for a while. */
export function progressLine (stream: NodeJS.WriteStream = process.stderr, patienceMs = 2000) {
  const started = Date.now()
  let shown = false
  return {
    update (text: string) {
      if (!stream.isTTY && Date.now() - started < patienceMs) return
      shown = true
      stream.write(stream.isTTY ? `\r${text}` : `${text}\n`)
    },
    done () {
      if (shown && stream.isTTY) stream.write('\n')
    }
  }
}

/**
 * Imports an invitations file into an organization, as its first OWNER invites: the same checks,
 * the same single transaction and the same emails as POST /api/invitations/import.
 */
export async function importInvitations (app: FastifyInstance, file: string, organizationId: number, dryRun: boolean) {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    throw new CommandError(`Cannot read ${resolve(file)}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`)
  }
  const scope = Scope.organization(organizationId)
  const organization = app.domain.tables.organizations.find(scope, organizationId)
  if (!organization) throw new CommandError(`There is no organization ${organizationId}: "mentormatchr export people" lists the people of them all`)
  const owner = app.db.select().from(users)
    .where(and(eq(users.organization_id, organizationId), eq(users.role, 'OWNER'), eq(users.deleted, false)))
    .orderBy(asc(users.id)).limit(1).all()[0]
  if (!owner) throw new CommandError(`The organization ${organization.name} has no OWNER to send the invitations in the name of`)
  const rows = await plainly(() => readInvitationFile(text))
  const progress = progressLine()
  progress.update(`${dryRun ? 'Checking' : 'Importing'} ${rows.length} rows…`)
  const { HOST, PORT } = app.config
  const result = await plainly(() => app.domain.invitations.import(callerOf(owner), rows, { dryRun }, `http://${HOST}:${PORT}`))
  progress.done()
  return { ...result, organization, owner }
}

/** Writes an export to `output` (else standard output) as it is read, at the pace the target takes it. */
export async function exportRecords (app: FastifyInstance, what: ExportName, format: ExportFormat, organizationId: number | undefined, output: string | undefined) {
  if (organizationId !== undefined && !app.domain.tables.organizations.find(Scope.organization(organizationId), organizationId)) {
    throw new CommandError(`There is no organization ${organizationId}`)
  }
  const scope = organizationId === undefined ? Scope.acrossOrganizations : Scope.organization(organizationId)
  const progress = progressLine()
  let rows = 0
  const stream = app.domain.exports.stream(scope, what, format, {
    onRows: (count) => {
      rows = count
      progress.update(`Exported ${count} ${what} rows…`)
    }
  })
  await writeOut(stream, output === undefined ? process.stdout : createWriteStream(output))
  progress.done()
  return { rows, file: output === undefined ? undefined : resolve(output) }
}
