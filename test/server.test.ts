import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { PASSWORD } from './helper'

const root = join(__dirname, '..')

/** `npm start` as a real process (tsx on server.ts) on a free port; answers its base URL. */
async function start (t: Test, env: Record<string, string>) {
  const child = spawn(process.execPath, [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(root, 'server.ts')], {
    cwd: root,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  t.teardown(() => { if (child.exitCode === null) child.kill('SIGKILL') })
  let output = ''
  child.stderr.on('data', (chunk) => { output += chunk })
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      output += chunk
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output)
      if (match) resolve(match[1]!)
    })
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${output}`)))
  })
  return { child, url, output: () => output }
}

async function stop (child: ChildProcess) {
  child.kill('SIGTERM')
  const [code] = await once(child, 'exit')
  return code
}

async function json (url: string, init: RequestInit & { body?: string } = {}) {
  const response = await fetch(url, { ...init, headers: { 'content-type': 'application/json', ...init.headers } })
  return { status: response.status, body: await response.json() as any }
}

t.test('the real server: the README walk-through, and data and tokens that survive a restart', async (t) => {
  const directory = mkdtempSync(join(tmpdir(), 'mentormatchr-server-'))
  t.teardown(() => rmSync(directory, { recursive: true, force: true }))
  const databasePath = join(directory, 'nested', 'mentormatchr.db')
  const env = { DATABASE_PATH: databasePath }

  const first = await start(t, env)
  t.same((await json(`${first.url}/api`)).body, { message: 'API OK' })
  t.same((await json(`${first.url}/health`)).body, { status: 'ok' })
  const registered = await json(`${first.url}/api/auth/register`, {
    method: 'POST',
    body: JSON.stringify({ organization_name: 'Lambda', email: 'grace@example.com', password: PASSWORD, first_name: 'Grace' })
  })
  t.equal(registered.status, 201)
  const login = await json(`${first.url}/api/auth/login`, {
    method: 'POST', body: JSON.stringify({ email: 'grace@example.com', password: PASSWORD })
  })
  t.equal(login.status, 200)
  const me = await json(`${first.url}/api/users/current_user`, { headers: { authorization: `Bearer ${login.body.token}` } })
  t.equal(me.body.first_name, 'Grace')
  t.equal(await stop(first.child), 0, 'SIGTERM ends the server cleanly')
  t.notMatch(first.output(), new RegExp(PASSWORD), 'the password never reaches the log')

  t.ok(existsSync(databasePath), 'the database was created with its folder')
  const secretFile = join(directory, 'nested', 'jwt-secret')
  t.equal(statSync(secretFile).mode & 0o777, 0o600, 'the generated JWT secret is private')
  t.ok(readFileSync(secretFile, 'utf8').trim().length >= 32)

  const second = await start(t, env)
  const again = await json(`${second.url}/api/users/current_user`, { headers: { authorization: login.body.token } })
  t.equal(again.status, 200, 'the token of the first run still works')
  t.equal(again.body.email, 'grace@example.com')
  t.equal(await stop(second.child), 0)
})

t.test('a bad configuration stops the start with a message', async (t) => {
  const child = spawn(process.execPath, [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(root, 'server.ts')], {
    cwd: root, env: { ...process.env, PORT: 'not-a-port' }, stdio: ['ignore', 'pipe', 'pipe']
  })
  let output = ''
  child.stdout.on('data', (chunk) => { output += chunk })
  child.stderr.on('data', (chunk) => { output += chunk })
  const [code] = await once(child, 'exit')
  t.not(code, 0)
  t.match(output, /PORT/)
})
