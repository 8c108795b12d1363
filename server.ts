import { existsSync } from 'node:fs'
import type { AppOptions } from './app'
import { embeddedAppOptions, thirdPartyNotices } from './binary/runtime'
import { backup } from './commands/backup'
import { exportChoice, exportRecords, importInvitations, organizationOption } from './commands/cohorts'
import { CommandError, routeTable, UsageError, withApp, writeOut } from './commands/context'
import { ADMIN_PASSWORD_VARIABLE, choosePassword, createAdmin } from './commands/create-admin'
import { runJobsOnce } from './commands/run-jobs'
import { serve } from './commands/serve'
import { type CommandLine, CommandUsageError, HELP, readCommandLine, usageOf } from './commands/usage'
import { DatabaseOpenError } from './db/connection'
import { ConfigurationError } from './plugins/config'
import { version } from './package.json'

async function run (argv: string[]): Promise<void> {
  const line = readCommandLine(argv)
  if (line.command === 'help') {
    process.stdout.write(line.about === undefined ? HELP : usageOf(line.about))
    return
  }
  if (line.command === 'version') {
    // The Node that runs it: the machine's from source, the embedded one in the single executable.
    process.stdout.write(`mentormatchr ${version} (Node.js ${process.version})\n`)
    return
  }
  if (line.command === 'licenses') {
    await writeOut(thirdPartyNotices())
    return
  }

  // The one read of .env, for the server and every command; variables already set win over it.
  if (existsSync('.env')) process.loadEnvFile('.env')
  const options = embeddedAppOptions()

  try {
    await runCommand(line, options)
  } catch (error) {
    // A command's own mistake in the call (a required option missing) is answered with its usage too.
    throw error instanceof UsageError && !(error instanceof CommandUsageError) ? new CommandUsageError(error.message, line.command) : error
  }
}

async function runCommand (line: Exclude<CommandLine, { command: 'help' | 'version' | 'licenses' }>, options: AppOptions): Promise<void> {
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
      const { DEFAULT_DEMO_SEED, seedDemo } = await import('./commands/seed-demo.js')
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

run(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError) {
    // A mistake in calling a command: what is wrong, then that command's usage; else where to find the commands.
    console.error(error instanceof CommandUsageError
      ? `${error.message}\n\n${usageOf(error.command)}`.trimEnd()
      : `${error.message}\nRun "mentormatchr --help" for the commands and their options.`)
    process.exit(2)
  }
  // A setting that cannot work: one line that says what to change, no stack.
  if (error instanceof ConfigurationError || error instanceof DatabaseOpenError) {
    console.error(error.message)
    process.exit(2)
  }
  // A refusal the user can act on is said plainly; anything else keeps its stack for a bug report.
  console.error(error instanceof CommandError ? error.message : error)
  process.exit(1)
})
