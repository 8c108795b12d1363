import { createHash } from 'node:crypto'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import t from 'tap'
import { UsageError } from '../../commands/errors'
import { type CommandName, COMMANDS, CommandUsageError, HELP, readCommandLine, usageOf } from '../../commands/usage'
import { ROOT, run, SOURCE, temporaryFolder } from './process'

// Each call below the first tests is a real process (about a second or two each on a busy machine).
t.setTimeout(240_000)

const NAMES = Object.keys(COMMANDS) as CommandName[]
const taken = (command: CommandName) => new Set([...Object.keys(COMMANDS[command].options), 'help', 'version'])

/** An option name no command takes, or one another command takes: both are unknown to this command. */
const unknownOption = (command: CommandName) => fc.oneof(
  fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/),
  fc.constantFrom(...NAMES.flatMap((name) => Object.keys(COMMANDS[name].options)))
).filter((name) => !taken(command).has(name))

/** A call of the command that is right but for the unknown option, given as `--name`, `--name=value` or `--name value`. */
const callWithUnknownOption = fc.constantFrom(...NAMES).chain((command) => fc.record({
  command: fc.constant(command),
  option: unknownOption(command),
  value: fc.option(fc.oneof(fc.constant('1'), fc.string({ minLength: 1, maxLength: 8 }).filter((text) => !text.startsWith('-'))), { nil: undefined }),
  inline: fc.boolean()
}))
const argsOf = ({ command, option, value, inline }: { command: CommandName, option: string, value: string | undefined, inline: boolean }) =>
  [command, ...(value === undefined ? [`--${option}`] : inline ? [`--${option}=${value}`] : [`--${option}`, value])]

t.test('each command has its own usage, listed in the help', async (t) => {
  for (const name of NAMES) {
    const usage = usageOf(name)
    t.match(usage, `Usage: mentormatchr ${COMMANDS[name].call}\n`, name)
    for (const option of Object.keys(COMMANDS[name].options)) t.match(usage, `--${option}`, `${name} documents --${option}`)
    t.match(HELP, `\n  ${COMMANDS[name].call}`, `the help lists ${name}`)
  }
  t.same(readCommandLine(['--help']), { command: 'help', about: undefined })
  t.same(readCommandLine(['help']), { command: 'help', about: undefined })
  t.same(readCommandLine(['help', 'backup']), { command: 'help', about: 'backup' })
  t.same(readCommandLine(['export', '-h']), { command: 'help', about: 'export' })
  t.same(readCommandLine(['migrate', '--version']), { command: 'version' })
  t.same(readCommandLine([]), { command: 'serve', argument: undefined, values: {} })
  t.same(readCommandLine(['--organization', '3', 'export', 'people', '-o', 'out.csv', '--format=csv']),
    { command: 'export', argument: 'people', values: { organization: '3', output: 'out.csv', format: 'csv' } }, 'options before the command too')
})

t.test('a mistake in the call names the command', async (t) => {
  const mistake = (args: string[]) => {
    try {
      readCommandLine(args)
    } catch (error) {
      return error instanceof CommandUsageError ? [error.command, error.message] : [(error as UsageError).message]
    }
  }
  t.same(mistake(['frobnicate']), ['Unknown command: frobnicate'])
  t.same(mistake(['help', 'frobnicate']), ['Unknown command: frobnicate'])
  t.same(mistake(['help', '--bogus']), ['help does not take --bogus'])
  t.same(mistake(['help', 'backup', '--email', 'x']), ['help does not take --email'], "another command's option too")
  t.same(mistake(['--frobnicate']), ['serve', 'serve does not take --frobnicate'], 'the default command')
  t.same(mistake(['serve', '-o', 'x']), ['serve', 'serve does not take -o'])
  t.same(mistake(['create-admin', '--email']), ['create-admin', "create-admin: Option '--email <value>' argument missing"])
  t.same(mistake(['run-jobs', '--once=yes']), ['run-jobs', "run-jobs: Option '--once' does not take an argument"])
  t.same(mistake(['migrate', 'now']), ['migrate', 'migrate does not take the argument "now"'])
  t.same(mistake(['backup', 'a.db', 'b.db']), ['backup', 'backup does not take the argument "b.db"'])
})

t.test('property: any option a command does not take is refused, naming it and the command', async () => {
  fc.assert(fc.property(callWithUnknownOption, (call) => {
    try {
      readCommandLine(argsOf(call))
      return false
    } catch (error) {
      return error instanceof CommandUsageError && error.command === call.command && error.message === `${call.command} does not take --${call.option}`
    }
  }), { numRuns: 500 })
})

/** Every file of the folder and its content's hash: what "nothing was written" is checked against. */
const snapshot = (folder: string) => Object.fromEntries(readdirSync(folder).sort()
  .map((name) => [name, createHash('sha256').update(readFileSync(join(folder, name))).digest('hex')]))

t.test('the real process: --help and an unknown option, for every command', async (t) => {
  const cwd = temporaryFolder(t, 'usage')
  const env = { DATABASE_PATH: join(cwd, 'data', 'mentormatchr.db') }
  t.equal((await run(SOURCE, ['migrate'], { cwd, env })).code, 0)
  const before = snapshot(join(cwd, 'data'))

  const results = await Promise.all(NAMES.map(async (name) => ({
    name,
    help: await run(SOURCE, [name, '--help'], { cwd, env }),
    unknown: await run(SOURCE, [name, '--no-such-option', 'x'], { cwd, env })
  })))
  for (const { name, help, unknown } of results) {
    t.same([help.code, help.stdout, help.stderr], [0, usageOf(name), ''], `${name} --help prints its usage`)
    t.same([unknown.code, unknown.stdout, unknown.stderr], [2, '', `${name} does not take --no-such-option\n\n${usageOf(name)}`],
      `${name} --no-such-option: exit code 2, what is wrong, then its usage`)
    t.notMatch(unknown.stderr, /\n\s+at /, 'no stack')
  }
  t.same(snapshot(join(cwd, 'data')), before, 'nothing was written to the database')
})

t.test('property, on the real process: an unknown option exits 2 with the command\'s usage and writes nothing', async (t) => {
  const cwd = temporaryFolder(t, 'usage')
  const env = { DATABASE_PATH: join(cwd, 'data', 'mentormatchr.db') }
  t.equal((await run(SOURCE, ['migrate'], { cwd, env })).code, 0)
  const before = snapshot(join(cwd, 'data'))
  // A process takes a second or two: a few calls, each a different command and option.
  await fc.assert(fc.asyncProperty(callWithUnknownOption, async (call) => {
    const { code, stdout, stderr } = await run(SOURCE, argsOf(call), { cwd, env })
    t.same([code, stdout, stderr], [2, '', `${call.command} does not take --${call.option}\n\n${usageOf(call.command)}`], argsOf(call).join(' '))
    t.same(snapshot(join(cwd, 'data')), before, 'nothing was written')
  }), { numRuns: 8 })
})

t.test('the help, the version and a mistake in the call answer without loading the server', async (t) => {
  const cwd = temporaryFolder(t, 'usage')
  // Preloaded in the child: at exit, it lists on standard error every file of the project it loaded.
  const loadedFiles = join(cwd, 'loaded-files.cjs')
  writeFileSync(loadedFiles, `process.on('exit', () => process.stderr.write('\\n' + Object.keys(require.cache)
    .filter((file) => file.startsWith(${JSON.stringify(ROOT)})).join('\\n')))`)
  const [node, ...flags] = SOURCE
  const loaded = async (...args: string[]) => (await run([node!, '--require', loadedFiles, ...flags], args, { cwd })).stderr.split('\n')
  const server = join(ROOT, 'app.ts')
  for (const args of [['--help'], ['export', '--help'], ['--version'], ['frobnicate'], ['routes', '--bogus']]) {
    const files = await loaded(...args)
    t.ok(files.includes(join(ROOT, 'commands', 'usage.ts')), `${args.join(' ')}: the command line is read`)
    t.notOk(files.some((file) => file === server || file.includes(`${ROOT}/node_modules/fastify/`)), `${args.join(' ')}: neither app.ts nor Fastify`)
  }
  t.ok((await loaded('routes')).includes(server), 'a command that needs the server loads it')
})

t.test('the README\'s table of commands names each command as the help prints it', async (t) => {
  const help = await run(SOURCE, ['--help'], { cwd: temporaryFolder(t, 'usage') })
  const listed = help.stdout.split('\nCommands:\n')[1]!.split('\n\n')[0]!.split('\n')
    .filter((line) => /^ {2}\S/.test(line)).map((line) => line.trim().split(/ {2,}/)[0])
  t.same(listed, NAMES.map((name) => COMMANDS[name].call), 'the help lists every command')
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8')
  const section = readme.split('\n## Commands\n')[1]!.split('\n## ')[0]!
  const documented = [...section.matchAll(/^\| `((?:[^`])+)` \|/gm)].map((match) => match[1]!.replaceAll('\\|', '|'))
  t.same(documented, listed, 'the README documents each command, its options written as the help writes them')
})
