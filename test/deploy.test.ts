import { execFileSync } from 'node:child_process'
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseEnv } from 'node:util'
import { build } from 'esbuild'
import t from 'tap'
import { parse as parseYaml } from 'yaml'
import { RUNTIME_DIR_VARIABLE } from '../binary/runtime'
import { MALLOC_ENVIRONMENT, NODE_FLAGS } from '../commands/node-flags'
import { ADMIN_PASSWORD_VARIABLE, COMMANDS } from '../commands/usage'
import { license, scripts } from '../package.json'
import { ConfigSchema } from '../plugins/config'
import { ROOT, run, SOURCE, temporaryFolder } from './cli/process'
import { listeningApp } from './helper'

// The deployment files, checked as far as this machine allows: no container engine runs here, so
// the Dockerfile is read instruction by instruction and its health check and entry are run as
// commands; the compose file is parsed as YAML; the systemd units are parsed, and verified by
// systemd-analyze where it exists.

const file = (name: string) => readFileSync(join(ROOT, name), 'utf8')
const SETTINGS = ConfigSchema.properties as Record<string, { default?: unknown }>
/** `NAME=value` of each variable of the server's malloc setting. */
const MALLOC_ASSIGNMENTS = Object.entries(MALLOC_ENVIRONMENT).map(([name, value]) => `${name}=${value}`)
/** Variables read outside the configuration schema: by create-admin and by the single executable. */
const COMMAND_VARIABLES = [ADMIN_PASSWORD_VARIABLE, RUNTIME_DIR_VARIABLE]

t.test('.env.example lists every setting, each documented, with its default, and changes nothing as it is', async (t) => {
  const lines = file('.env.example').split('\n')
  const listed = new Map<string, { value: string, comment: string }>()
  lines.forEach((line, index) => {
    const setting = /^# ([A-Z][A-Z0-9_]*)=(.*)$/.exec(line)
    if (setting) listed.set(setting[1]!, { value: setting[2]!, comment: lines[index - 1] ?? '' })
  })
  t.same([...listed.keys()].filter((name) => !(name in SETTINGS) && !COMMAND_VARIABLES.includes(name)), [], 'no unknown variable')
  t.same([...Object.keys(SETTINGS), ...COMMAND_VARIABLES].filter((name) => !listed.has(name)), [], 'every setting is there')
  for (const [name, { value, comment }] of listed) {
    t.ok(comment.startsWith('#'), `${name} is explained`)
    const fallback = SETTINGS[name]?.default
    if (fallback !== undefined) t.equal(value, String(fallback), `${name} shows its default`)
  }
  t.same(parseEnv(file('.env.example')), {}, 'copied to .env, it sets nothing')
})

/** The Dockerfile as [instruction, arguments], continuation lines joined, comments dropped. */
function instructions (text: string): Array<[string, string]> {
  return text.replace(/\\\n/g, ' ').split('\n').map((line) => line.trim()).filter((line) => line && !line.startsWith('#'))
    .map((line) => { const [word, ...rest] = line.split(/\s+/); return [word!.toUpperCase(), rest.join(' ')] })
}

t.test('Dockerfile: built from source in one stage, run as a non-root user from another, data on a volume, a health check', async (t) => {
  const all = instructions(file('Dockerfile'))
  const starts = all.flatMap(([instruction], index) => instruction === 'FROM' ? [index] : [])
  t.equal(starts.length, 2, 'two stages')
  const [build, runtime] = [all.slice(starts[0], starts[1]), all.slice(starts[1])]
  const args = (stage: Array<[string, string]>, instruction: string) => stage.filter(([name]) => name === instruction).map(([, value]) => value)

  t.match(args(build, 'FROM')[0], /^node:24-slim AS build$/)
  const buildSteps = args(build, 'RUN').join('\n')
  t.match(buildSteps, /apt-get install .*python3 make g\+\+/, 'the compilers of the native addon')
  t.match(buildSteps, /npm ci --omit=dev/)
  t.notMatch(buildSteps, /--ignore-scripts/, 'better-sqlite3 runs its build')
  t.match(args(build, 'ENV').join(' '), /npm_config_build_from_source=true/, 'compiled here, never downloaded')
  // What the build copies exists, and holds every file the server loads (its import graph).
  const copied = args(build, 'COPY').flatMap((value) => value.split(/\s+/).slice(0, -1))
  for (const source of copied.filter((name) => !name.includes('*'))) t.ok(existsSync(join(ROOT, source)), `${source} exists`)
  const graph = await build_(['server.ts', 'commands/seed-demo.ts'])
  const needed = [...new Set(graph.map((path) => path.split('/')[0]!))].sort()
  t.same(needed.filter((top) => !copied.includes(top) && !copied.includes(`./${top}`)), [], `the image holds ${needed.join(', ')}`)

  t.match(args(runtime, 'FROM')[0], /^node:24-slim$/, 'the same Node to run')
  t.notMatch(args(runtime, 'RUN').join('\n'), /apt-get install/, 'no compilers in the image that runs')
  t.match(args(runtime, 'COPY')[0], /^--from=build \/app \/app$/)
  const user = args(runtime, 'USER').at(-1)
  t.ok(user && !/^(root|0)(:|$)/.test(user), `runs as ${user}`)
  t.match(args(runtime, 'RUN').join('\n'), new RegExp(`useradd --system .*${user}`))
  const environment = args(runtime, 'ENV').join(' ')
  const database = /DATABASE_PATH=(\S+)/.exec(environment)?.[1]
  const volume = JSON.parse(args(runtime, 'VOLUME')[0]!) as string[]
  t.ok(database && volume.some((folder) => database.startsWith(`${folder}/`)), `the database ${database} is on the volume ${volume}`)
  t.match(environment, /HOST=0\.0\.0\.0/, 'reachable from outside the container')
  t.equal(/PORT=(\d+)/.exec(environment)?.[1], args(runtime, 'EXPOSE')[0])
  t.same(JSON.parse(args(runtime, 'CMD')[0]!), ['serve'])
  for (const assignment of MALLOC_ASSIGNMENTS) t.ok(environment.split(/\s+/).includes(assignment), `the server's malloc setting ${assignment}`)

  // The health check, as the container runs it: 0 while the server answers /health, 1 once it is gone.
  const healthCheck = JSON.parse(/^(?:--\S+\s+)*CMD (.*)$/.exec(args(runtime, 'HEALTHCHECK')[0]!)![1]!) as string[]
  t.match(healthCheck.join(' '), '/health')
  const { app, base } = await listeningApp(t, 'healthcheck')
  const probe = (port: string) => run(healthCheck, [], { cwd: ROOT, env: { PORT: port } })
  t.equal((await probe(new URL(base).port)).code, 0, 'healthy')
  await app.close()
  t.equal((await probe(new URL(base).port)).code, 1, 'unhealthy once stopped')

  // The entry point, as the image runs it (from /app, here the clone).
  const entry = JSON.parse(args(runtime, 'ENTRYPOINT')[0]!) as string[]
  t.same(entry.slice(-1), ['server.ts'])
  t.same(entry.slice(1, 1 + NODE_FLAGS.length), NODE_FLAGS, 'the server runs with its Node flags')
  const version = await run(entry, ['--version'], { cwd: ROOT })
  t.match(version.stdout, /^mentormatchr \d+\.\d+\.\d+ \(Node\.js v\d+/)
  t.same(file('.dockerignore').split('\n').filter((line) => ['node_modules', 'data', '.env'].includes(line)).sort(), ['.env', 'data', 'node_modules'],
    'no local node_modules, database or secrets in the build context')
})

t.test('npm start and npm run serve run the server with its Node flags and malloc setting', async (t) => {
  for (const name of ['start', 'serve'] as const) {
    t.equal(scripts[name], `${MALLOC_ASSIGNMENTS.join(' ')} exec node ${NODE_FLAGS.join(' ')} --require tsx/preflight --import tsx server.ts serve`, name)
  }
  // As npm runs a script: the assignments before `exec` reach the server.
  const shown = await run(['sh', '-c', `${MALLOC_ASSIGNMENTS.join(' ')} exec env`], [], { cwd: ROOT })
  for (const assignment of MALLOC_ASSIGNMENTS) t.ok(shown.stdout.split('\n').includes(assignment), `the server sees ${assignment}`)
})

t.test('in a clone, every command is npm run <command> (the README\'s promise)', async (t) => {
  for (const name of Object.keys(COMMANDS).filter((command) => command !== 'serve')) {
    t.equal((scripts as Record<string, string>)[name], `tsx server.ts ${name}`, `npm run ${name}`)
  }
})

/** Every file of the repository that bundling the entries reaches (packages left out). */
async function build_ (entries: string[]): Promise<string[]> {
  const result = await build({ entryPoints: entries.map((entry) => join(ROOT, entry)), absWorkingDir: ROOT, bundle: true, write: false, platform: 'node', packages: 'external', metafile: true, outdir: 'unused', logLevel: 'silent' })
  return Object.keys(result.metafile.inputs)
}

t.test('compose.yaml builds the Dockerfile and keeps the database on a named volume', async (t) => {
  const compose = parseYaml(file('compose.yaml')) as {
    services: Record<string, { build: { context: string, dockerfile: string }, volumes: string[], ports: string[], environment: Record<string, string> }>
    volumes: Record<string, unknown>
  }
  const [name, service] = Object.entries(compose.services)[0]!
  t.equal(name, 'mentormatchr')
  t.ok(existsSync(join(ROOT, service.build.context, service.build.dockerfile)), 'the Dockerfile it builds exists')
  const [volume, target] = service.volumes[0]!.split(':')
  t.ok(volume! in compose.volumes, `the named volume ${volume} is declared`)
  t.ok(service.environment.DATABASE_PATH?.startsWith(`${target}/`), 'the database is on it')
  t.match(service.ports[0], /^127\.0\.0\.1:\d+:5000$/, 'published on this machine only')
})

type Unit = Record<string, Record<string, string[]>>

/** A systemd unit file: sections of keys, each key with its values in order (keys may repeat). */
function parseUnit (text: string): Unit {
  const unit: Unit = {}
  let section: Record<string, string[]> | undefined
  for (const line of text.split('\n').map((item) => item.trim())) {
    if (!line || line.startsWith('#') || line.startsWith(';')) continue
    const header = /^\[(\w+)\]$/.exec(line)
    if (header) { section = unit[header[1]!] = {}; continue }
    const entry = /^(\w+)=(.*)$/.exec(line)
    if (!entry || !section) throw new Error(`not a unit file line: ${line}`)
    ;(section[entry[1]!] ??= []).push(entry[2]!)
  }
  return unit
}

const hasSystemd = (() => { try { execFileSync('systemd-analyze', ['--version'], { stdio: 'ignore' }); return true } catch { return false } })()

t.test('the systemd unit runs the executable\'s serve as its own user, the database pinned, hardened', async (t) => {
  const unit = parseUnit(file('deploy/mentormatchr.service'))
  const service = unit.Service!
  const one = (key: string) => service[key]?.at(-1)
  const [program, command] = one('ExecStart')!.split(' ')
  t.equal(program, '/usr/local/bin/mentormatchr')
  t.match(file('README.md'), `install -m 755 dist/mentormatchr ${program}`, 'the README installs the built executable there')
  t.match(file('scripts/build-binary.ts'), "join(ROOT, 'dist', 'mentormatchr')", 'which npm run build:binary writes')
  const help = await run(SOURCE, ['--help'], { cwd: ROOT })
  t.match(help.stdout, `\n  ${command} `, `${command} is a command of the executable`)
  t.ok(one('User') && one('User') !== 'root', 'a dedicated user')
  const database = service.Environment!.find((value) => value.startsWith('DATABASE_PATH='))?.split('=')[1]
  t.equal(database, `/var/lib/${one('StateDirectory')}/mentormatchr.db`, 'the database pinned, in its state directory')
  t.match(service, { ProtectSystem: ['strict'], NoNewPrivileges: ['yes'], ProtectHome: ['yes'], PrivateTmp: ['yes'], CapabilityBoundingSet: [''] })
  t.notOk(service.MemoryDenyWriteExecute, 'V8 needs to write code it runs')
  t.same(unit.Install?.WantedBy, ['multi-user.target'])
  for (const assignment of MALLOC_ASSIGNMENTS) t.ok(service.Environment?.includes(assignment), `the server's malloc setting ${assignment}`)

  const backup = parseUnit(file('deploy/mentormatchr-backup.service')).Service!
  t.match(backup.ExecStart?.[0], /\/usr\/local\/bin\/mentormatchr backup /)
  t.same(backup.Environment, service.Environment?.filter((value) => !value.startsWith('LOG_FORMAT') && !MALLOC_ASSIGNMENTS.includes(value)),
    'the same database as the server')
  t.match(parseUnit(file('deploy/mentormatchr-backup.timer')).Timer, { OnCalendar: [/\d\d:\d\d/], Persistent: ['true'] })
})

t.test('systemd-analyze verifies the units', { skip: !hasSystemd && 'no systemd-analyze here' }, async (t) => {
  const folder = temporaryFolder(t, 'systemd')
  // ExecStart must point at an executable file: a stand-in for the installed one.
  const stand = join(folder, 'mentormatchr')
  writeFileSync(stand, '#!/bin/sh\n')
  chmodSync(stand, 0o755)
  for (const name of ['mentormatchr.service', 'mentormatchr-backup.service', 'mentormatchr-backup.timer']) {
    writeFileSync(join(folder, name), file(`deploy/${name}`).replaceAll('/usr/local/bin/mentormatchr', stand))
  }
  const verified = await run(['systemd-analyze'], ['verify', ...['mentormatchr.service', 'mentormatchr-backup.service', 'mentormatchr-backup.timer'].map((name) => join(folder, name))], { cwd: folder })
  t.same([verified.code, verified.stderr], [0, ''])
})

t.test('LICENSE matches package.json, and the README documents every file', async (t) => {
  t.equal(license, 'MIT')
  t.match(file('LICENSE'), /^MIT License\n\nCopyright \(c\) \d{4} /)
  const readme = file('README.md')
  for (const name of ['.env.example', 'Dockerfile', 'compose.yaml', 'deploy/mentormatchr.service', 'deploy/mentormatchr-backup.timer', 'LICENSE']) {
    t.match(readme, name, `the README tells of ${name}`)
  }
})
