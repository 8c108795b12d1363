import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import t, { type Test } from 'tap'
import { version } from '../../package.json'
import { childEnvironment, request, ROOT, run, SOURCE, start, temporaryFolder } from '../cli/process'

// The server as a person or a machine reads it: a real process, its real standard output.

t.setTimeout(120_000)

async function until (condition: () => boolean, what: string): Promise<void> {
  for (let waited = 0; waited < 10_000; waited += 20) {
    if (condition()) return
    await sleep(20)
  }
  throw new Error(`gave up waiting until ${what}`)
}

t.test('standard output not a terminal: JSON lines; the start line says where, which version, the docs and the database; one line per request', async (t) => {
  const cwd = temporaryFolder(t, 'logs-json')
  const database = join(cwd, 'json.db')
  const server = await start(t, SOURCE, { cwd, env: { DATABASE_PATH: database } })
  t.equal((await request(`${server.url}/api?probe=json`)).status, 400)
  await until(() => server.output().includes('probe=json'), 'the request is logged')
  t.equal(await server.stop(), 0)

  const lines = server.output().trim().split('\n').map((line) => JSON.parse(line) as { msg: string, req?: { url: string }, res?: { statusCode: number } })
  t.ok(lines.length > 0, 'every line is JSON')
  const startLines = lines.filter((line) => line.msg.startsWith('Server listening at'))
  t.same(startLines.map((line) => line.msg),
    [`Server listening at ${server.url}: MentorMatchr ${version}, API documentation at ${server.url}/docs, database ${database}`], 'one start line')
  const requestLines = lines.filter((line) => line.req?.url.includes('probe=json'))
  t.same(requestLines.map((line) => [line.msg, line.res?.statusCode]), [['request completed', 400]], 'one line for the request')
})

t.test('JSON lines are gathered per turn of the event loop, yet the last ones before an exit are written', async (t) => {
  const cwd = temporaryFolder(t, 'logs-exit')
  // The app built as serve builds it, a line logged, and the process ended in the same turn.
  const script = `const { build } = require(${JSON.stringify(join(ROOT, 'app.ts'))})
    const app = build({ config: { DATABASE_PATH: ':memory:', JWT_SECRET: 'x'.repeat(32) } }, {})
    app.ready().then(() => { app.log.info('the first words'); setImmediate(() => { app.log.warn('the last words'); process.exit(3) }) })`
  const ended = await run([process.execPath, '--require', join(ROOT, 'node_modules', 'tsx', 'dist', 'cjs', 'index.cjs'), '-e', script], [], { cwd, env: { LOG_FORMAT: 'json' } })
  t.equal(ended.code, 3, ended.stderr)
  const messages = ended.stdout.trim().split('\n').map((line) => (JSON.parse(line) as { msg: string }).msg)
  t.same(messages.slice(-2), ['the first words', 'the last words'], 'in order, the last one too')
})

t.test('LOG_FORMAT=pretty: readable lines, the request in one of them', async (t) => {
  const cwd = temporaryFolder(t, 'logs-pretty')
  const database = join(cwd, 'pretty.db')
  const server = await start(t, SOURCE, { cwd, env: { DATABASE_PATH: database, LOG_FORMAT: 'pretty' } })
  t.equal((await request(`${server.url}/api/meetings?probe=pretty`)).status, 401)
  await until(() => server.output().includes('probe=pretty'), 'the request is logged')
  t.equal(await server.stop(), 0)

  const lines = server.output().trim().split('\n')
  t.notOk(lines.some((line) => line.startsWith('{')), 'no JSON')
  t.match(lines.find((line) => line.includes('created a new database')), /^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}\] INFO: created a new database at /)
  t.equal(lines.filter((line) => line.includes('Server listening at')).length, 1)
  t.match(lines.find((line) => line.includes('Server listening at')),
    `INFO: Server listening at ${server.url}: MentorMatchr ${version}, API documentation at ${server.url}/docs, database ${database}`)
  const requestLines = lines.filter((line) => line.includes('probe=pretty'))
  t.equal(requestLines.length, 1, 'one line for the request')
  t.match(requestLines[0], /INFO: request completed: GET \/api\/meetings\?probe=pretty → 401 in \d+\.\d ms \{"reqId":"[\w-]+"\}$/)
  t.match(lines.at(-1), /INFO: stopping: finishing the requests in flight \{"signal":"SIGTERM"\}$/, 'the last line, written before the exit')
})

/** The processes started under `pid`, children first, read from /proc. */
function descendants (pid: number): number[] {
  let children: number[]
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number)
  } catch {
    return []
  }
  return children.flatMap((child) => [child, ...descendants(child)])
}

/** Whether the process has ended: gone, or a zombie its new parent has not reaped yet. */
function ended (pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.startsWith('Z')
  } catch {
    return true
  }
}

/**
 * `serve` with a terminal as its standard output (util-linux's script gives it one), ended once it
 * listens: by default the server is stopped (SIGTERM) while its terminal still exists; `end` may
 * instead take the terminal away. Answers what the terminal showed, and the server's process id.
 */
async function onTerminal (t: Test, cwd: string, env: Record<string, string>,
  end: (server: number, script: ChildProcess) => void = (server) => process.kill(server, 'SIGTERM')): Promise<{ output: string, server: number }> {
  const command = [...SOURCE, 'serve'].map((part) => `'${part}'`).join(' ')
  const child = spawn('env', ['-u', 'NODE_OPTIONS', 'script', '--quiet', '--return', '--command', command, '/dev/null'], {
    cwd, env: childEnvironment({ HOST: '127.0.0.1', PORT: '0', ...env }), stdio: ['pipe', 'pipe', 'pipe']
  })
  t.teardown(() => {
    if (child.exitCode !== null) return
    for (const pid of descendants(child.pid!).reverse()) process.kill(pid, 'SIGKILL')
    child.kill('SIGKILL')
  })
  let output = ''
  child.stdout.on('data', (chunk) => { output += chunk })
  await until(() => output.includes('Server listening at'), 'it listens')
  const exited = once(child, 'exit')
  // The shell that script starts may run the server as its child (dash) or become it (bash): the
  // server is the process that runs Node, not the shell whose command line names it.
  const server = descendants(child.pid!).find((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] === SOURCE[0])
  if (server === undefined) throw new Error('no server process under script')
  // Once its terminal is gone, the server is no longer under script.
  t.teardown(() => { if (!ended(server)) process.kill(server, 'SIGKILL') })
  end(server, child)
  await exited
  return { output, server }
}

t.test('on a terminal: readable and coloured unless LOG_FORMAT=json', async (t) => {
  const cwd = temporaryFolder(t, 'logs-terminal')
  const { output: pretty } = await onTerminal(t, cwd, { DATABASE_PATH: join(cwd, 'a.db') })
  t.ok(pretty.includes('\u001b[32mINFO\u001b[39m'), 'INFO in green')
  t.match(pretty, /Server listening at http:\/\/127\.0\.0\.1:\d+: MentorMatchr/)
  t.notMatch(pretty, /^\{/m)
  const { output: json } = await onTerminal(t, cwd, { DATABASE_PATH: join(cwd, 'b.db'), LOG_FORMAT: 'json' })
  t.match(json, /^\{"level":30,.*"msg":"Server listening at http:\/\/127\.0\.0\.1:\d+: MentorMatchr/m, 'JSON lines when asked for')
})

// Closing the terminal window: its master side goes away, and the server receives SIGHUP, from the
// kernel when it leads the terminal's session (bash runs it in its own place), or when the shell
// leading it dies (dash runs it as a child; a fresh machine's script uses /bin/sh when SHELL is unset).
for (const shell of ['/bin/bash', '/bin/sh']) {
  t.test(`the terminal closing under a running server (started by ${shell}) ends it gracefully, and frees its CPU and its port`, async (t) => {
    const cwd = temporaryFolder(t, 'logs-hangup')
    const { output, server } = await onTerminal(t, cwd, { DATABASE_PATH: join(cwd, 'c.db'), SHELL: shell }, (_server, script) => { script.kill('SIGKILL') })
    const address = /Server listening at (http:\/\/[\d.:]+)/.exec(output)![1]!
    // Node 20 faults while it restores the vanished terminal's mode at exit: a listener for that
    // fault (close-with-grace had one) made it fault again forever, at full CPU.
    await until(() => ended(server), 'the server has ended')
    t.ok(ended(server))
    t.notOk(existsSync(join(cwd, 'c.db-wal')), 'it closed gracefully first: the database closed, its WAL checkpointed away')
    await t.rejects(request(`${address}/health`), 'nothing answers at its address any more')
  })
}

t.test('a LOG_FORMAT that does not exist: one line, exit code 2', async (t) => {
  const cwd = temporaryFolder(t, 'logs-mistake')
  const result = await run(SOURCE, ['serve'], { cwd, env: { DATABASE_PATH: join(cwd, 'x.db'), LOG_FORMAT: 'xml' } })
  t.same([result.code, result.stderr], [2,
    'LOG_FORMAT=xml is not valid: set LOG_FORMAT to json (lines for machines) or pretty (lines for people), or unset for pretty on a terminal and json otherwise\n'])
})
