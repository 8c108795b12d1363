import { join } from 'node:path'
import t from 'tap'
import { ROOT, run, SOURCE } from '../cli/process'

// The soak script itself, run briefly so that it cannot rot; `npm run soak` runs it for a minute.
t.test('npm run soak: a short run drives the real server and reports errors, latency and memory', async (t) => {
  const soak = [...SOURCE.slice(0, -1), join(ROOT, 'scripts', 'soak.ts')]
  const { code, stdout, stderr } = await run(soak, [], { cwd: ROOT, env: { SOAK_SECONDS: '3', SOAK_CONCURRENCY: '4' } })
  t.equal(code, 0, stderr)
  t.match(stdout, /requests: \d+ \(\d+\/s\), errors: 0\n/)
  t.match(stdout, /latency: p50 [\d.]+ ms, p99 [\d.]+ ms/)
  t.match(stdout, /memory \(RSS\): start \d+ MB, peak \d+ MB, end \d+ MB/)
})
