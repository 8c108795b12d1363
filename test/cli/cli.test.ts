import { once } from 'node:events'
import { existsSync, writeFileSync } from 'node:fs'
import { type AddressInfo, createServer } from 'node:net'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import t from 'tap'
import { routeTable } from '../../commands/context'
import { version as packageVersion } from '../../package.json'
import { buildApp, call, PASSWORD } from '../helper'
import { run, SOURCE, start, temporaryFolder } from './process'

// Each command is a real process here (about a second or two each on a busy machine).
t.setTimeout(240_000)

t.test('--help, --version, and mistakes in the call (exit code 2)', async (t) => {
  const cwd = temporaryFolder(t, 'cli')
  const [help, version, licences, unknown, noEmail, noFile, extraOption] = await Promise.all([
    run(SOURCE, ['--help'], { cwd }),
    run(SOURCE, ['--version'], { cwd }),
    run(SOURCE, ['licenses'], { cwd }),
    run(SOURCE, ['frobnicate'], { cwd }),
    run(SOURCE, ['create-admin'], { cwd }),
    run(SOURCE, ['backup'], { cwd }),
    run(SOURCE, ['serve', '--email', 'a@example.com'], { cwd })
  ])
  t.equal(help.code, 0)
  for (const command of ['serve', 'migrate', 'create-admin --email', 'backup <file>', 'seed-demo', 'routes', 'licenses']) {
    t.match(help.stdout, `  ${command}`, `the help names ${command}`)
  }
  t.equal(version.stdout, `mentormatchr ${packageVersion} (Node.js ${process.version})\n`, 'the version, and the Node that runs it')
  t.equal(licences.code, 0)
  t.match(licences.stdout, /^Run from source, .* node_modules/, 'run from source, licenses points to the packages\' own licence files')
  t.same([unknown, noEmail, noFile, extraOption].map((result) => result.code), [2, 2, 2, 2])
  t.match(unknown.stderr, /^Unknown command: frobnicate\nRun "mentormatchr --help"/)
  t.match(noEmail.stderr, /^create-admin needs --email <address>/)
  t.match(noFile.stderr, /^backup needs the file to write/)
  t.match(extraOption.stderr, /^serve does not take --email/)
  t.notOk(existsSync(join(cwd, 'data')), 'a mistaken call touches no database')
})

t.test('migrate, create-admin (twice), backup, seed-demo and routes, as npm run would run them', async (t) => {
  const cwd = temporaryFolder(t, 'cli')
  const env = { DATABASE_PATH: join(cwd, 'data', 'mentormatchr.db') }

  const migrated = await run(SOURCE, ['migrate'], { cwd, env })
  t.equal(migrated.code, 0, migrated.stderr)
  t.match(migrated.stdout, /is up to date \(\d+ migrations applied\)/)

  const [admin, seeded] = await Promise.all([
    run(SOURCE, ['create-admin', '--email', 'root@example.com'], { cwd, env }),
    run(SOURCE, ['seed-demo', '--password', PASSWORD], { cwd, env })
  ])
  t.equal(admin.code, 0, admin.stderr)
  const generated = /Password \(shown only now, keep it safe\): (\S+)/.exec(admin.stdout)?.[1]
  t.ok(generated, 'a generated password is printed')
  t.equal(seeded.code, 0, seeded.stderr)
  const owner = /email: +(\S+)\n +password: +(.+)\n/.exec(seeded.stdout)
  t.equal(owner?.[2], PASSWORD, 'seed-demo prints the OWNER\'s login')

  const duplicate = await run(SOURCE, ['create-admin', '--email', 'ROOT@example.com'], { cwd, env: { ...env, MENTORMATCHR_ADMIN_PASSWORD: 'another password' } })
  t.equal(duplicate.code, 1)
  t.equal(duplicate.stderr, 'A user with the email root@example.com already exists: nothing was created\n')
  const tooShort = await run(SOURCE, ['create-admin', '--email', 'other@example.com', '--password', 'short'], { cwd, env })
  t.equal(tooShort.code, 1)
  t.equal(tooShort.stderr, 'The password must be 8 to 200 characters long\n')

  const target = join(cwd, 'backups', 'first.db')
  const [backedUp, routes] = await Promise.all([
    run(SOURCE, ['backup', target], { cwd, env }),
    run(SOURCE, ['routes'], { cwd, env })
  ])
  t.equal(backedUp.code, 0, backedUp.stderr)
  t.match(backedUp.stdout, `Backed up to ${target} (`)
  const copy = new Database(target, { readonly: true })
  t.teardown(() => copy.close())
  t.equal(copy.pragma('integrity_check', { simple: true }), 'ok')
  t.same(copy.prepare("SELECT email FROM users WHERE role = 'ADMINISTRATOR'").all(), [{ email: 'root@example.com' }],
    'one ADMINISTRATOR: the duplicate was refused')
  t.equal((copy.prepare("SELECT count(*) AS n FROM users WHERE role <> 'ADMINISTRATOR'").get() as { n: number }).n, 24, 'the demo people')

  t.equal(routes.code, 0)
  t.same(routes.stdout.trim().split('\n'), await routeTable({ config: { DATABASE_PATH: ':memory:' } }))

  // The server of this database lets both people in.
  const app = await buildApp(t, env)
  const rootLogin = await call(app, 'POST', '/api/auth/login', { payload: { email: 'root@example.com', password: generated } })
  t.equal(rootLogin.status, 200)
  t.equal(rootLogin.body.user.role, 'ADMINISTRATOR')
  const ownerLogin = await call(app, 'POST', '/api/auth/login', { payload: { email: owner?.[1], password: PASSWORD } })
  t.equal(ownerLogin.status, 200)
  const matches = await call(app, 'GET', '/api/matches', { headers: { authorization: `Bearer ${ownerLogin.body.token}` } })
  t.ok(matches.body.length > 0, 'and the API serves the demo matches')
})

/** A call, its environment, and the one line it must answer on stderr. */
type SettingMistake = [name: string, args: string[], env: Record<string, string>, message: string]

t.test('a setting that cannot work: one line saying what to set, exit code 2, no stack', async (t) => {
  const cwd = temporaryFolder(t, 'cli')
  writeFileSync(join(cwd, 'a-file'), '')
  const holder = createServer().listen(0, '127.0.0.1')
  t.teardown(() => holder.close())
  await once(holder, 'listening')
  const taken = String((holder.address() as AddressInfo).port)
  const database = { DATABASE_PATH: join(cwd, 'data', 'x.db') }
  const cases: SettingMistake[] = [
    ['PORT=abc', ['serve'], { ...database, PORT: 'abc' }, 'PORT=abc is not valid: set PORT to a port number such as 5000\n'],
    ['LOG_LEVEL=verbose', ['migrate'], { ...database, LOG_LEVEL: 'verbose' }, 'LOG_LEVEL=verbose is not valid: set LOG_LEVEL to one of fatal, error, warn, info, debug, trace, silent\n'],
    ['JWT_EXPIRES_IN=forever', ['serve'], { ...database, JWT_EXPIRES_IN: 'forever' }, 'JWT_EXPIRES_IN=forever is not valid: set JWT_EXPIRES_IN to a duration such as 15m, 12h or 7d\n'],
    ['a database folder that cannot be made', ['migrate'], { DATABASE_PATH: join(cwd, 'a-file', 'x.db') },
      `Cannot keep the token signing secret beside the database ${join(cwd, 'a-file', 'x.db')}: ENOTDIR: not a directory, open '${join(cwd, 'a-file', 'jwt-secret')}'. Set DATABASE_PATH to a file in a folder this user can write\n`],
    ['a database that cannot be opened', ['migrate'], { DATABASE_PATH: join(cwd, 'a-file', 'x.db'), JWT_SECRET: 'a secret of at least thirty-two characters' },
      `Cannot open the database at ${join(cwd, 'a-file', 'x.db')}: EEXIST: file already exists, mkdir '${join(cwd, 'a-file')}'. Set DATABASE_PATH to a file in a folder this user can write\n`],
    ['a port in use', ['serve'], { ...database, HOST: '127.0.0.1', PORT: taken },
      `Port ${taken} on 127.0.0.1 is already in use: stop the program that holds it, or set PORT to a free port\n`],
    // procfs answers ENOENT for a folder it cannot hold, which Node's recursive mkdir retried forever.
    ...(existsSync('/proc/self')
      ? [
        ['a database folder under /proc', ['migrate'], { DATABASE_PATH: '/proc/mentormatchr-test/x.db' },
          'Cannot keep the token signing secret beside the database /proc/mentormatchr-test/x.db: ENOENT: no such file or directory, ' +
            'mkdir \'/proc/mentormatchr-test\'. Set DATABASE_PATH to a file in a folder this user can write\n'],
        ['a database under /proc', ['serve'], { DATABASE_PATH: '/proc/mentormatchr-test/x.db', JWT_SECRET: 'a secret of at least thirty-two characters' },
          'Cannot open the database at /proc/mentormatchr-test/x.db: ENOENT: no such file or directory, ' +
            'mkdir \'/proc/mentormatchr-test\'. Set DATABASE_PATH to a file in a folder this user can write\n']
      ] satisfies SettingMistake[]
      : [])
  ]
  const results = await Promise.all(cases.map(([, args, env]) => run(SOURCE, args, { cwd, env })))
  cases.forEach(([name, , , message], index) => {
    const { code, stderr } = results[index]!
    t.same([code, stderr], [2, message], name)
  })
  if (existsSync('/proc/self')) t.notOk(existsSync('/proc/mentormatchr-test'), 'nothing made under /proc')
})

t.test('the commands and the server say which database they use, and when they made a new one', async (t) => {
  const cwd = temporaryFolder(t, 'cli')
  const migrated = await run(SOURCE, ['migrate'], { cwd })
  t.match(migrated.stdout, `Database: ${join(cwd, 'data', 'mentormatchr.db')} (created now)\n`, 'the absolute path, from the folder it was started in')
  const again = await run(SOURCE, ['migrate'], { cwd })
  t.match(again.stdout, `Database: ${join(cwd, 'data', 'mentormatchr.db')}\n`)
  const server = await start(t, SOURCE, { cwd, env: { DATABASE_PATH: join(cwd, 'elsewhere.db') } })
  t.match(server.output(), `created a new database at ${join(cwd, 'elsewhere.db')}`)
  t.equal(await server.stop(), 0)
})
