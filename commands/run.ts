import type { AppOptions } from '../app'
import { DatabaseOpenError } from '../db/connection'
import { ConfigurationError } from '../plugins/config'
import { backup } from './backup'
import { exportChoice, exportRecords, importInvitations, organizationOption } from './cohorts'
import { routeTable, withApp } from './context'
import { choosePassword, createAdmin } from './create-admin'
import { UsageError } from './errors'
import { runJobsOnce } from './run-jobs'
import { serve } from './serve'
import { ADMIN_PASSWORD_VARIABLE, type CommandLine, CommandUsageError } from './usage'

/** A command that needs the app: every one but the help, the version and the licences. */
type AppCommandLine = Exclude<CommandLine, { command: 'help' | 'version' | 'licenses' }>

/**
 * Runs a command that needs the app, with what the single executable brings (binary/runtime.ts).
 * server.ts loads this module only then, so that the help, the version and a mistake in the call
 * answer without loading the server.
 */
export async function runCommand (line: AppCommandLine, options: AppOptions): Promise<void> {
  try {
    await doCommand(line, options)
  } catch (error) {
    // A command's own mistake in the call (a required option missing) is answered with its usage too.
    throw error instanceof UsageError && !(error instanceof CommandUsageError) ? new CommandUsageError(error.message, line.command) : error
  }
}

/** A setting that cannot work (a variable, the database's path): said in one line, with exit code 2. */
export const isSettingMistake = (error: unknown): error is Error => error instanceof ConfigurationError || error instanceof DatabaseOpenError

/** Each command's own work, with its own checks of the call (a required option, an argument). */
async function doCommand (line: AppCommandLine, options: AppOptions): Promise<void> {
  const { argument } = line
  switch (line.command) {
    case 'serve':
      return serve(options)

    case 'migrate':
      return withApp(options, (app) => {
        const { applied } = app.sqlite.prepare('SELECT count(*) AS applied FROM __drizzle_migrations').get() as { applied: number }
        console.log(`The database ${app.config.DATABASE_PATH} is up to date (${applied} migrations applied).`)
      })

    case 'create-admin': {
      const { email } = line.values
      if (!email) throw new UsageError('create-admin needs --email <address>')
      const { password, generated } = choosePassword(line.values.password ?? process.env[ADMIN_PASSWORD_VARIABLE])
      const user = await withApp(options, (app) => createAdmin(app, email, password))
      console.log(`Created the ADMINISTRATOR ${user.email} (user id ${user.id}).`)
      if (generated) console.log(`Password (shown only now, keep it safe): ${password}`)
      return
    }

    case 'backup': {
      if (!argument) throw new UsageError('backup needs the file to write: mentormatchr backup <file>')
      const result = await withApp(options, (app) => backup(app, argument, options.database))
      console.log(`Backed up to ${result.file} (${Math.ceil(result.bytes / 1024)} KiB, integrity check ok).`)
      return
    }

    case 'seed-demo': {
      // Loaded only here: faker's data is no part of what the server needs at start.
      const { DEFAULT_DEMO_SEED, seedDemo } = await import('./seed-demo.js')
      const seed = line.values.seed === undefined ? DEFAULT_DEMO_SEED : Number(line.values.seed)
      if (!Number.isSafeInteger(seed)) throw new UsageError('--seed takes a whole number')
      const { password } = choosePassword(line.values.password)
      const demo = await withApp(options, (app) => seedDemo(app, seed, password))
      const counts = Object.entries(demo.counts).map(([table, count]) => `${count} ${table}`).join(', ')
      console.log(`Created the demo organization "${demo.organization.name}" (id ${demo.organization.id}): ${counts}.`)
      console.log(`Sign in as its OWNER with POST /api/auth/login:\n  email:    ${demo.owner.email}\n  password: ${password}`)
      console.log('Every demo person signs in with this password.')
      const [waiting] = demo.waitingMenteeIds
      if (waiting !== undefined) {
        console.log(`${demo.waitingMenteeIds.length} mentees wait for a mentor: GET /api/matches/suggestions?mentee_id=${waiting} suggests mentors ` +
          'for one, POST /api/matches/assignments previews the best assignment of them all.')
      }
      return
    }

    case 'run-jobs': {
      if (!line.values.once) throw new UsageError('run-jobs needs --once: it runs the jobs one time (serve runs them on its own)')
      for (const line of await withApp(options, runJobsOnce)) console.log(line)
      return
    }

    case 'routes':
      for (const route of await routeTable(options)) console.log(route)
      return

    case 'import-invitations': {
      const organizationId = organizationOption(line.values.organization, line.command)
      if (!argument || organizationId === undefined) throw new UsageError('import-invitations needs the file and the organization: mentormatchr import-invitations <file.csv> --organization <id>')
      const dryRun = line.values['dry-run'] === true
      const result = await withApp(options, (app) => importInvitations(app, argument, organizationId, dryRun))
      for (const row of result.results) {
        const who = row.email ?? '(no email)'
        if (row.status === 'refused') console.log(`Row ${row.row} ${who}: refused: ${row.error}`)
        else if ('invitation' in row && row.invitation) console.log(`Row ${row.row} ${who}: invited as ${row.invitation.role}: ${row.invitation.accept_url}`)
      }
      const { rows, valid, created, refused, emails_sent } = result.summary
      console.log(dryRun
        ? `Dry run for ${result.organization.name}: ${valid} of ${rows} rows would be invited, ${refused} refused; nothing was written.`
        : `Invited ${created} of ${rows} people to ${result.organization.name} as ${result.owner.email}; ${refused} refused; ${emails_sent} emails sent.`)
      if (refused > 0) process.exitCode = 1
      return
    }

    case 'export': {
      const { what, format } = exportChoice(argument, line.values.format)
      const organizationId = organizationOption(line.values.organization, line.command)
      const { output } = line.values
      const result = await withApp(options, (app) => exportRecords(app, what, format, organizationId, output), (message) => console.error(message))
      if (result.file) console.error(`Exported ${result.rows} ${what} rows to ${result.file}.`)
    }
  }
}
