import { existsSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { embeddedAppOptions } from './binary/runtime'
import { backup } from './commands/backup'
import { exportChoice, exportRecords, importInvitations, organizationOption } from './commands/cohorts'
import { CommandError, routeTable, UsageError, withApp } from './commands/context'
import { ADMIN_PASSWORD_VARIABLE, choosePassword, createAdmin } from './commands/create-admin'
import { runJobsOnce } from './commands/run-jobs'
import { serve } from './commands/serve'
import { DatabaseOpenError } from './db/connection'
import { ConfigurationError } from './plugins/config'
import { version } from './package.json'

const HELP = `MentorMatchr ${version}: the backend of a mentoring program, self-hosted.

Usage: mentormatchr [command] [options]
       (in a clone: npm start, or npm run <command> -- [options])

Commands:
  serve                  Start the server (the default command)
  migrate                Create the database or bring it up to date, then exit
  create-admin --email <address> [--password <password>]
                         Create an ADMINISTRATOR of the whole installation. The password comes
                         from --password, else from ${ADMIN_PASSWORD_VARIABLE}, else a new one
                         is generated and printed once.
  backup <file>          Copy the database to <file> while the server runs; the copy is checked
                         (PRAGMA integrity_check) before it replaces <file>
  seed-demo [--seed <n>] [--password <password>]
                         Add a demo organization with people, profiles, matches and meetings,
                         and print how to sign in as its OWNER
  run-jobs --once        Run the scheduled jobs once (complete ended matches, nudge quiet ones,
                         report pending profiles, send email) and print what each did; the
                         server runs them itself every JOBS_INTERVAL_MINUTES
  routes                 Print every route the server serves, one per line
  import-invitations <file.csv> --organization <id> [--dry-run]
                         Invite a cohort from a CSV file (columns email, name, role, week; a header
                         row in any order), in the name of the organization's first OWNER: every row
                         checked, the valid ones written together, emailed when SMTP_URL is set.
                         --dry-run checks and writes nothing. Exit code 1 when a row was refused.
  export <people|profiles|matches|meetings> --format csv|json [--organization <id>] [--output <file>]
                         Write the records of one organization (without --organization: of all) to
                         <file> or to standard output, streamed; never a password hash or token

Options:
  -h, --help             Show this help
  -v, --version          Print the version, and the version of Node.js that runs it

Configuration comes from the environment and from a .env file in the current folder:
DATABASE_PATH (default data/mentormatchr.db), HOST (127.0.0.1), PORT (5000), LOG_LEVEL (info),
LOG_FORMAT (json or pretty; unset: pretty on a terminal),
JWT_SECRET, JWT_EXPIRES_IN, APP_URL, CORS_ORIGINS, TRUST_PROXY, SMTP_URL, GITHUB_CLIENT_ID, ...
The single executable writes its native parts to $MENTORMATCHR_RUNTIME_DIR
(default $XDG_CACHE_HOME/mentormatchr or ~/.cache/mentormatchr).
`

function parse (argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
        email: { type: 'string' },
        password: { type: 'string' },
        seed: { type: 'string' },
        organization: { type: 'string' },
        'dry-run': { type: 'boolean' },
        format: { type: 'string' },
        output: { type: 'string', short: 'o' },
        once: { type: 'boolean' }
      }
    })
  } catch (error) {
    throw new UsageError((error as Error).message)
  }
}

type Parsed = ReturnType<typeof parse>

/** Options a command does not take are refused rather than ignored. */
function only (parsed: Parsed, command: string, allowed: Array<keyof Parsed['values']>, positionals = 1): void {
  const extra = Object.keys(parsed.values).find((name) => !allowed.includes(name as keyof Parsed['values']))
  if (extra) throw new UsageError(`${command} does not take --${extra}`)
  if (parsed.positionals.length > positionals) throw new UsageError(`Unexpected argument: ${parsed.positionals[positionals]}`)
}

async function run (argv: string[]): Promise<void> {
  const parsed = parse(argv)
  const [command = 'serve', argument] = parsed.positionals
  if (parsed.values.help || command === 'help') {
    process.stdout.write(HELP)
    return
  }
  if (parsed.values.version) {
    // The Node that runs it: the machine's from source, the embedded one in the single executable.
    process.stdout.write(`mentormatchr ${version} (Node.js ${process.version})\n`)
    return
  }

  // The one read of .env, for the server and every command; variables already set win over it.
  if (existsSync('.env')) process.loadEnvFile('.env')
  const options = embeddedAppOptions()

  switch (command) {
    case 'serve':
      only(parsed, command, [])
      return serve(options)

    case 'migrate':
      only(parsed, command, [])
      return withApp(options, (app) => {
        const { applied } = app.sqlite.prepare('SELECT count(*) AS applied FROM __drizzle_migrations').get() as { applied: number }
        console.log(`The database ${app.config.DATABASE_PATH} is up to date (${applied} migrations applied).`)
      })

    case 'create-admin': {
      only(parsed, command, ['email', 'password'])
      const { email } = parsed.values
      if (!email) throw new UsageError('create-admin needs --email <address>')
      const { password, generated } = choosePassword(parsed.values.password ?? process.env[ADMIN_PASSWORD_VARIABLE])
      const user = await withApp(options, (app) => createAdmin(app, email, password))
      console.log(`Created the ADMINISTRATOR ${user.email} (user id ${user.id}).`)
      if (generated) console.log(`Password (shown only now, keep it safe): ${password}`)
      return
    }

    case 'backup': {
      only(parsed, command, [], 2)
      if (!argument) throw new UsageError('backup needs the file to write: mentormatchr backup <file>')
      const result = await withApp(options, (app) => backup(app, argument, options.database))
      console.log(`Backed up to ${result.file} (${Math.ceil(result.bytes / 1024)} KiB, integrity check ok).`)
      return
    }

    case 'seed-demo': {
      only(parsed, command, ['seed', 'password'])
      // Loaded only here: faker's data is no part of what the server needs at start.
      const { DEFAULT_DEMO_SEED, seedDemo } = await import('./commands/seed-demo.js')
      const seed = parsed.values.seed === undefined ? DEFAULT_DEMO_SEED : Number(parsed.values.seed)
      if (!Number.isSafeInteger(seed)) throw new UsageError('--seed takes a whole number')
      const { password } = choosePassword(parsed.values.password)
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
      only(parsed, command, ['once'])
      if (!parsed.values.once) throw new UsageError('run-jobs needs --once: it runs the jobs one time (serve runs them on its own)')
      for (const line of await withApp(options, runJobsOnce)) console.log(line)
      return
    }

    case 'routes':
      only(parsed, command, [])
      for (const route of await routeTable(options)) console.log(route)
      return

    case 'import-invitations': {
      only(parsed, command, ['organization', 'dry-run'], 2)
      const organizationId = organizationOption(parsed.values.organization, command)
      if (!argument || organizationId === undefined) throw new UsageError('import-invitations needs the file and the organization: mentormatchr import-invitations <file.csv> --organization <id>')
      const dryRun = parsed.values['dry-run'] === true
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
      only(parsed, command, ['organization', 'format', 'output'], 2)
      const { what, format } = exportChoice(argument, parsed.values.format)
      const organizationId = organizationOption(parsed.values.organization, command)
      const { output } = parsed.values
      const result = await withApp(options, (app) => exportRecords(app, what, format, organizationId, output), (line) => console.error(line))
      if (result.file) console.error(`Exported ${result.rows} ${what} rows to ${result.file}.`)
      return
    }

    default:
      throw new UsageError(`Unknown command: ${command}`)
  }
}

run(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError) {
    console.error(`${error.message}\nRun "mentormatchr --help" for the commands and their options.`)
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
