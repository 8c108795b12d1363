import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { ROOT, run, SOURCE, temporaryFolder } from './cli/process'

/**
 * `npm run bench` itself stays out of the suite; this smoke run (a tiny dataset, one short round,
 * no thresholds) keeps it from rotting: every request must answer 2xx on every server.
 */
t.test('the bench runs end to end and writes its table', async (t) => {
  const folder = temporaryFolder(t, 'bench')
  const output = join(folder, 'RESULTS.md')
  const bench = [...SOURCE.slice(0, -1), join(ROOT, 'scripts', 'bench.ts')]
  const { code, stdout, stderr } = await run(bench, [], {
    cwd: folder,
    env: {
      BENCH_DATASET: 'tiny',
      BENCH_ROUNDS: '1',
      BENCH_WARM_UP: '0',
      BENCH_SECONDS: '0.3',
      BENCH_WAL_SECONDS: '1',
      BENCH_CONNECTIONS: '5',
      BENCH_OUTPUT: output
    }
  })
  t.equal(code, 0, stderr)
  const results = readFileSync(output, 'utf8')
  for (const row of ['GET /api/mentees/:id', 'POST /api/matches', 'POST /api/auth/login', 'peak RSS (MB)', 'RSS after the runs: heaps + mapped files (MB)', 'WAL under 1 s']) {
    t.ok(results.includes(row), `the table has ${row}`)
  }
  t.match(results, /\| RSS after the runs: heaps \+ mapped files \(MB\) \| [1-9][\d,]* \+ [1-9][\d,]* \|/, 'read from each server')
  t.match(results, /\| GET \/health \|.* \| \d+\.\d\d \| \d+\.\d\d \|\n/, 'with the ratios to both baselines')
  t.match(results, /\| GET \/api\/mentees\/:id \| [\d,]+ \(\d+\/\d+, \d+%, [1-9][\d,]* MB\) \|/, 'each cell with the peak RSS of its runs')
  t.ok(stdout.includes('| Request |'), 'and prints it')
})
