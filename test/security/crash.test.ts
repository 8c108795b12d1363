import { join } from 'node:path'
import Database from 'better-sqlite3'
import t from 'tap'
import { request, ROOT, SOURCE, start, temporaryFolder } from '../cli/process'
import { PASSWORD } from '../helper'

// The real server as a child process, killed with SIGKILL in the middle of concurrent writes of
// several kinds, then started again on the same file: every write it answered with 2xx is there.

interface Acknowledged { kind: 'experiences' | 'notifications' | 'invitations', id: number, value: string }

const ROUNDS = 2
const WRITERS = 6

t.test('SIGKILL under write load loses no acknowledged write', async (t) => {
  const folder = temporaryFolder(t, 'crash')
  const env = { DATABASE_PATH: join(folder, 'crash.db'), AUTH_RATE_LIMIT: '1000' }
  let server = await start(t, SOURCE, { cwd: ROOT, env })
  const registered = await request(`${server.url}/api/auth/register`, {
    method: 'POST', body: { organization_name: 'Crash Test', email: 'owner@example.com', password: PASSWORD }
  })
  const headers = { authorization: `Bearer ${registered.body.token}` }
  const ownerId = registered.body.user.id as number
  const acknowledged: Acknowledged[] = []

  for (let round = 0; round < ROUNDS; round++) {
    const base = server.url
    let sequence = 0
    const killed = new AbortController()
    const write = async (): Promise<void> => {
      while (!killed.signal.aborted) {
        const n = `${round}-${sequence++}`
        const kinds: Array<[Acknowledged['kind'], object, string]> = [
          ['experiences', { name: `Skill ${n}` }, `Skill ${n}`],
          ['notifications', { user_id: ownerId, content: `Note ${n}` }, `Note ${n}`],
          ['invitations', { email: `person-${n}@example.com` }, `person-${n}@example.com`]
        ]
        const [kind, body, value] = kinds[sequence % kinds.length]!
        try {
          const answer = await request(`${base}/api/${kind}`, { method: 'POST', body, headers })
          if (answer.status === 201) acknowledged.push({ kind, id: answer.body.id, value })
        } catch {
          return // the connection died with the server
        }
      }
    }
    const writers = Array.from({ length: WRITERS }, write)
    await new Promise((resolve) => setTimeout(resolve, 1500))
    server.child.kill('SIGKILL')
    killed.abort()
    await Promise.all(writers)
    t.ok(acknowledged.length > 0, `round ${round}: writes were acknowledged before the kill`)
    server = await start(t, SOURCE, { cwd: ROOT, env })
  }

  const lost: Acknowledged[] = []
  const check = new Database(env.DATABASE_PATH, { readonly: true })
  t.teardown(() => check.close())
  for (const write of acknowledged) {
    const column = write.kind === 'experiences' ? 'name' : write.kind === 'notifications' ? 'content' : 'email'
    const row = check.prepare(`SELECT ${column} AS value FROM ${write.kind} WHERE id = ?`).get(write.id) as { value: string } | undefined
    if (row?.value !== write.value) lost.push(write)
  }
  t.same(lost, [], 'every acknowledged write survived')
  t.equal(check.pragma('integrity_check', { simple: true }), 'ok')
  t.comment(`${acknowledged.length} acknowledged writes verified after ${ROUNDS} kills`)
  t.equal(await server.stop(), 0)
})
