import { existsSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { request, run, ROOT, SOURCE, start, temporaryFolder } from './cli/process'
import { PASSWORD } from './helper'

t.test('the real server: the README walk-through, and data and tokens that survive a restart', async (t) => {
  const directory = temporaryFolder(t, 'server')
  const databasePath = join(directory, 'nested', 'mentormatchr.db')
  const options = { cwd: ROOT, env: { DATABASE_PATH: databasePath } }

  const first = await start(t, SOURCE, options)
  t.same((await request(`${first.url}/api`)).body, { message: 'API OK' })
  t.same((await request(`${first.url}/health`)).body, { status: 'ok' })
  const registered = await request(`${first.url}/api/auth/register`, {
    method: 'POST',
    body: { organization_name: 'Lambda', email: 'grace@example.com', password: PASSWORD, first_name: 'Grace' }
  })
  t.equal(registered.status, 201)
  const login = await request(`${first.url}/api/auth/login`, {
    method: 'POST', body: { email: 'grace@example.com', password: PASSWORD }
  })
  t.equal(login.status, 200)
  const me = await request(`${first.url}/api/users/current_user`, { headers: { authorization: `Bearer ${login.body.token}` } })
  t.equal(me.body.first_name, 'Grace')
  t.equal(await first.stop(), 0, 'SIGTERM ends the server cleanly')
  t.notMatch(first.output(), new RegExp(PASSWORD), 'the password never reaches the log')

  t.ok(existsSync(databasePath), 'the database was created with its folder')
  const secretFile = join(directory, 'nested', 'jwt-secret')
  t.equal(statSync(secretFile).mode & 0o777, 0o600, 'the generated JWT secret is private')
  t.ok(readFileSync(secretFile, 'utf8').trim().length >= 32)

  const second = await start(t, SOURCE, options)
  const again = await request(`${second.url}/api/users/current_user`, { headers: { authorization: login.body.token } })
  t.equal(again.status, 200, 'the token of the first run still works')
  t.equal(again.body.email, 'grace@example.com')
  t.equal(await second.stop(), 0)
})

t.test('a bad configuration stops the start with a message', async (t) => {
  const { code, stdout, stderr } = await run(SOURCE, ['serve'], { cwd: ROOT, env: { PORT: 'not-a-port' } })
  t.not(code, 0)
  t.match(stdout + stderr, /PORT/)
})
