import { existsSync } from 'node:fs'
import { thirdPartyNotices } from './binary/notices'
import { CommandError, UsageError } from './commands/errors'
import { CommandUsageError, HELP, readCommandLine, usageOf } from './commands/usage'
import { writeOut } from './commands/write-out'
import { version } from './package.json'

// Loaded for the commands that need the server only. require rather than import(): a dynamic import
// of a .ts file finds nothing when only tsx's CommonJS hook runs the source (the bench runs it so).
const runCommands = () => require('./commands/run') as typeof import('./commands/run')
const embedded = () => require('./binary/runtime') as typeof import('./binary/runtime')

/**
 * The command line's entry. What answers without the server (the help, the version, the licences, a
 * mistake in the call) loads only this file's imports: the server and its commands, commands/run.ts,
 * are loaded for the others. From source, `--help` then takes a third of a second rather than one.
 */
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
  await runCommands().runCommand(line, embedded().embeddedAppOptions())
}

run(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError) {
    // A mistake in calling a command: what is wrong, then that command's usage; else where to find the commands.
    console.error(error instanceof CommandUsageError
      ? `${error.message}\n\n${usageOf(error.command)}`.trimEnd()
      : `${error.message}\nRun "mentormatchr --help" for the commands and their options.`)
    process.exit(2)
  }
  // A setting that cannot work: one line that says what to change, no stack. (After a command, which
  // is where such errors come from, commands/run.ts is loaded already.)
  if (runCommands().isSettingMistake(error)) {
    console.error(error.message)
    process.exit(2)
  }
  // A refusal the user can act on is said plainly; anything else keeps its stack for a bug report.
  console.error(error instanceof CommandError ? error.message : error)
  process.exit(1)
})
