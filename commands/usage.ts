import { parseArgs } from 'node:util'
import { version } from '../package.json'
import { UsageError } from './errors'

interface OptionUsage {
  type: 'string' | 'boolean'
  short?: string
  /** What the value stands for, as the usage writes it: `<address>`. */
  value?: string
  about: string
}

interface CommandUsage {
  /** The call, as the list of commands and the command's own usage write it. */
  call: string
  /** Its description, line by line as printed: the list of commands indents each by 25 columns. */
  about: string[]
  options: Record<string, OptionUsage>
  /** The arguments after the command's name it takes (`backup <file>`: 1). */
  positionals: number
}

/** Where create-admin takes the password from without --password: the environment, out of sight of ps. */
export const ADMIN_PASSWORD_VARIABLE = 'MENTORMATCHR_ADMIN_PASSWORD'

/** Every command, with what it takes: the one source of the help texts and of what the command line accepts. */
export const COMMANDS = {
  serve: {
    call: 'serve',
    about: ['Start the server (the default command)'],
    options: {},
    positionals: 0
  },
  migrate: {
    call: 'migrate',
    about: ['Create the database or bring it up to date, then exit'],
    options: {},
    positionals: 0
  },
  'create-admin': {
    call: 'create-admin --email <address> [--password <password>]',
    about: [
      'Create an ADMINISTRATOR of the whole installation. The password comes',
      `from --password, else from ${ADMIN_PASSWORD_VARIABLE}, else a new one`,
      'is generated and printed once.'
    ],
    options: {
      email: { type: 'string', value: '<address>', about: "The ADMINISTRATOR's email address (required)" },
      password: { type: 'string', value: '<password>', about: '8 to 200 characters; better given in the environment, out of ps' }
    },
    positionals: 0
  },
  backup: {
    call: 'backup <file>',
    about: [
      'Copy the database to <file> while the server runs; the copy is checked',
      '(PRAGMA integrity_check) before it replaces <file>'
    ],
    options: {},
    positionals: 1
  },
  'seed-demo': {
    call: 'seed-demo [--seed <n>] [--password <password>]',
    about: [
      'Add a demo organization with people, profiles, matches and meetings,',
      'and print how to sign in as its OWNER'
    ],
    options: {
      seed: { type: 'string', value: '<n>', about: 'A whole number: the same seed makes the same people' },
      password: { type: 'string', value: '<password>', about: 'The password of every demo person (default: a new one, printed)' }
    },
    positionals: 0
  },
  'run-jobs': {
    call: 'run-jobs --once',
    about: [
      'Run the scheduled jobs once (complete ended matches, nudge quiet ones,',
      'report pending profiles, send email) and print what each did; the',
      'server runs them itself every JOBS_INTERVAL_MINUTES'
    ],
    options: {
      once: { type: 'boolean', about: 'Run every job one time, then exit (required)' }
    },
    positionals: 0
  },
  routes: {
    call: 'routes',
    about: ['Print every route the server serves, one per line'],
    options: {},
    positionals: 0
  },
  licenses: {
    call: 'licenses',
    about: ['Print the licences of the third-party software the single executable holds'],
    options: {},
    positionals: 0
  },
  'import-invitations': {
    call: 'import-invitations <file.csv> --organization <id> [--dry-run]',
    about: [
      'Invite a cohort from a CSV file (columns email, name, role, week; a header',
      'row in any order), in the name of the organization\'s first OWNER: every row',
      'checked, the valid ones written together (the week kept with each',
      'invitation), emailed when SMTP_URL is set. --dry-run checks and writes',
      'nothing. Exit code 1 when a row was refused.'
    ],
    options: {
      organization: { type: 'string', value: '<id>', about: 'The id of the organization to invite to (required)' },
      'dry-run': { type: 'boolean', about: 'Check every row and write nothing' }
    },
    positionals: 1
  },
  export: {
    call: 'export <people|profiles|matches|meetings> --format csv|json [--organization <id>] [--output <file>]',
    about: [
      'Write the records of one organization (without --organization: of all) to',
      '<file> or to standard output, streamed; never a password hash or token'
    ],
    options: {
      format: { type: 'string', value: 'csv|json', about: 'The format to write (required)' },
      organization: { type: 'string', value: '<id>', about: 'Only this organization\'s records' },
      output: { type: 'string', short: 'o', value: '<file>', about: 'The file to write (default: standard output)' }
    },
    positionals: 1
  }
} as const satisfies Record<string, CommandUsage>

export type CommandName = keyof typeof COMMANDS

/** What every command also takes. */
const COMMON_OPTIONS = {
  help: { type: 'boolean', short: 'h', about: 'Show this help' },
  version: { type: 'boolean', short: 'v', about: 'Print the version, and the version of Node.js that runs it' }
} as const satisfies Record<string, OptionUsage>

const INDENT = ' '.repeat(25)
/** `  name` padded to the column of the descriptions, or on a line of its own when longer. */
const entry = (name: string, about: string[]) => {
  const [first, ...rest] = about
  const head = `  ${name}`
  const lines = head.length < INDENT.length - 1 ? [head.padEnd(INDENT.length) + first] : [head, INDENT + first]
  return [...lines, ...rest.map((line) => INDENT + line)].join('\n')
}
const optionName = (name: string, { short, value }: OptionUsage) => `${short ? `-${short}, ` : ''}--${name}${value ? ` ${value}` : ''}`
const optionEntries = (options: Record<string, OptionUsage>) =>
  Object.entries(options).map(([name, option]) => entry(optionName(name, option), [option.about])).join('\n')

export const HELP = `MentorMatchr ${version}: the backend of a mentoring program, self-hosted.

Usage: mentormatchr [command] [options]
       (in a clone: npm start, or npm run <command> -- [options])

Commands:
${Object.values(COMMANDS).map((command) => entry(command.call, command.about)).join('\n')}

"mentormatchr <command> --help" shows the options of one command.

Options:
${optionEntries(COMMON_OPTIONS)}

Configuration comes from the environment and from a .env file in the current folder:
DATABASE_PATH (default data/mentormatchr.db), HOST (127.0.0.1), PORT (5000), LOG_LEVEL (info),
LOG_FORMAT (json or pretty; unset: pretty on a terminal),
JWT_SECRET, JWT_EXPIRES_IN, APP_URL, CORS_ORIGINS, TRUST_PROXY, SMTP_URL, GITHUB_CLIENT_ID, ...
The single executable writes its native parts to $MENTORMATCHR_RUNTIME_DIR
(default $XDG_CACHE_HOME/mentormatchr or ~/.cache/mentormatchr).
`

/** What `mentormatchr <command> --help` prints, and a mistake in calling the command after its message. */
export function usageOf (name: CommandName): string {
  const command: CommandUsage = COMMANDS[name]
  return `Usage: mentormatchr ${command.call}

${command.about.join('\n')}

Options:
${optionEntries({ ...command.options, help: COMMON_OPTIONS.help })}
`
}

/** A mistake in calling one command: its message, then the command's usage. */
export class CommandUsageError extends UsageError {
  constructor (message: string, readonly command: CommandName) {
    super(message)
  }
}

const isCommand = (name: string): name is CommandName => Object.hasOwn(COMMANDS, name)

type OptionsOf<N extends CommandName> = (typeof COMMANDS)[N]['options']
type ValuesOf<N extends CommandName> = { [K in keyof OptionsOf<N>]?: OptionsOf<N>[K] extends { type: 'string' } ? string : boolean }

export type CommandLine =
  | { command: 'help', about: CommandName | undefined }
  | { command: 'version' }
  | { [N in CommandName]: { command: N, argument: string | undefined, values: ValuesOf<N> } }[CommandName]

/** The options of every command at once: enough to tell an option's value from the command's name. */
const ALL_OPTIONS = Object.assign({}, COMMON_OPTIONS, ...Object.values(COMMANDS).map((command) => command.options)) as Record<string, OptionUsage>

const parserOptions = (options: Record<string, OptionUsage>) =>
  Object.fromEntries(Object.entries(options).map(([name, { type, short }]) => [name, short ? { type, short } : { type }]))

/** The first option of `args` that is not one of `options`, as it was written (`--frobnicate`, `-x`). */
function unknownOption (args: string[], options: ReturnType<typeof parserOptions>): string | undefined {
  const { tokens } = parseArgs({ args, options, allowPositionals: true, strict: false, tokens: true })
  // A short option that is known comes back under its long name.
  const unknown = tokens.find((token) => token.kind === 'option' && !Object.hasOwn(options, token.name))
  return unknown?.kind === 'option' ? unknown.rawName : undefined
}

/**
 * Reads the command line: the command (`serve` when none is named), then its options and
 * arguments, refusing an option the command does not take before anything else is done.
 */
export function readCommandLine (args: string[]): CommandLine {
  const { positionals } = parseArgs({ args, options: parserOptions(ALL_OPTIONS), allowPositionals: true, strict: false })
  const [named] = positionals
  if (named === 'help') {
    const about = positionals[1]
    if (about !== undefined && !isCommand(about)) throw new UsageError(`Unknown command: ${about}`)
    const unknown = unknownOption(args, parserOptions(COMMON_OPTIONS))
    if (unknown !== undefined) throw new UsageError(`help does not take ${unknown}`)
    return { command: 'help', about }
  }
  if (named !== undefined && !isCommand(named)) throw new UsageError(`Unknown command: ${named}`)
  const command = named ?? 'serve'
  const usage: CommandUsage = COMMANDS[command]
  const options = parserOptions({ ...usage.options, ...COMMON_OPTIONS })

  const unknown = unknownOption(args, options)
  if (unknown !== undefined) throw new CommandUsageError(`${command} does not take ${unknown}`, command)

  let parsed
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true })
  } catch (error) {
    // Node's own words, first line only: "Option '--email <value>' argument missing".
    throw new CommandUsageError(`${command}: ${(error as Error).message.split('\n')[0]}`, command)
  }
  const { values } = parsed
  if (values.help) return { command: 'help', about: named === undefined ? undefined : command }
  if (values.version) return { command: 'version' }
  const [argument, extra] = parsed.positionals.slice(named === undefined ? 0 : 1)
  if (extra !== undefined || (argument !== undefined && usage.positionals === 0)) {
    throw new CommandUsageError(`${command} does not take the argument "${extra ?? argument}"`, command)
  }
  // parseArgs has checked each value against its option's type.
  return { command, argument, values } as CommandLine
}
