import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { connect } from 'node:net'
import { join } from 'node:path'
import t from 'tap'
import { childEnvironment, ROOT, temporaryFolder } from './process'

// `npm start` runs the server in the very process npm starts, so a SIGTERM sent to npm reaches the
// server: it stops, and the port is free again.
t.test('npm start: SIGTERM to the npm process stops the server and frees its port', async (t) => {
  const folder = temporaryFolder(t, 'npm-start')
  const npm = spawn('env', ['-u', 'NODE_OPTIONS', 'npm', 'start'], {
    cwd: ROOT,
    env: childEnvironment({ DATABASE_PATH: join(folder, 'start.db'), HOST: '127.0.0.1', PORT: '0' }),
    stdio: ['ignore', 'pipe', 'pipe']
  })
  t.teardown(() => { if (npm.exitCode === null) npm.kill('SIGKILL') })
  let output = ''
  const port = await new Promise<number>((resolve, reject) => {
    npm.stdout.on('data', (chunk) => {
      output += chunk
      const listening = /Server listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(output)
      if (listening) resolve(Number(listening[1]))
    })
    npm.once('exit', (code) => reject(new Error(`npm start exited with ${code}: ${output}`)))
  })
  // env execs npm, so this is npm's own process.
  const exited = once(npm, 'exit')
  npm.kill('SIGTERM')
  await exited
  t.match(output, /"signal":"SIGTERM","msg":"stopping: finishing the requests in flight"/, 'the server itself received the signal')
  const refused = await new Promise<string>((resolve) => {
    const socket = connect(port, '127.0.0.1', () => { socket.destroy(); resolve('connected') })
    socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'))
  })
  t.equal(refused, 'ECONNREFUSED', `port ${port} is free`)
})
