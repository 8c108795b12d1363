import { join } from 'node:path'
import t from 'tap'
import { build } from '../../app'
import { runJobsOnce } from '../../commands/run-jobs'
import { activeMatch, mentee, mentor, organization } from '../fixtures'
import { buildApp, call } from '../helper'
import { run, SOURCE, temporaryFolder } from './process'

// Each command starts a process that loads the sources through tsx: seconds on a busy machine.
t.setTimeout(120_000)

t.test('mentormatchr run-jobs --once: the same jobs, once, through the real process', async (t) => {
  const cwd = temporaryFolder(t, 'run-jobs')
  const env = { DATABASE_PATH: join(cwd, 'mentormatchr.db') }
  const app = build({ config: env })
  await app.ready()
  const home = await organization(app)
  const match = await activeMatch(app, home.owner, await mentor(app, home.orgId), await mentee(app, home.orgId))
  const yesterday = new Date(Date.now() - 24 * 60 * 60 * 1000).toISOString()
  t.equal((await call(app, 'PUT', `/api/matches/${match.id}`, { headers: home.owner.headers, payload: { end_date: yesterday } })).status, 200)
  await app.close()

  const first = await run(SOURCE, ['run-jobs', '--once'], { cwd, env })
  t.equal(first.code, 0, first.stderr)
  t.match(first.stdout, /^complete-ended-matches: 1 done \(\d+ ms\)$/m)
  t.match(first.stdout, /^nudge-inactive-matches: 0 done/m)
  t.match(first.stdout, /^report-pending-profiles: 0 done/m)
  const second = await run(SOURCE, ['run-jobs', '--once'], { cwd, env })
  t.match(second.stdout, /^complete-ended-matches: 0 done/m, 'a second run has nothing left to do')

  const without = await run(SOURCE, ['run-jobs'], { cwd, env })
  t.same([without.code, without.stderr.split('\n')[0]], [2, 'run-jobs needs --once: it runs the jobs one time (serve runs them on its own)'])

  const check = await buildApp(t, env)
  t.equal((check.sqlite.prepare('SELECT status FROM matches WHERE id = ?').get(match.id) as { status: string }).status, 'COMPLETED')
})

t.test('run-jobs --once in the process: a line per job, and a failing job fails the command after the others ran', async (t) => {
  const app = await buildApp(t)
  t.same((await runJobsOnce(app)).map((line) => line.replace(/\(\d+ ms\)/, '(ms)')),
    ['complete-ended-matches: 0 done (ms)', 'nudge-inactive-matches: 0 done (ms)', 'report-pending-profiles: 0 done (ms)',
      'expire-requests: 0 done (ms)', 'remind-waiting-requests: 0 done (ms)', 'send-email: 0 done (ms)', 'send-email-digests: 0 done (ms)'])
  app.domain.jobs.list.unshift({ name: 'broken', run: async () => { throw new Error('no disk') } })
  await t.rejects(runJobsOnce(app), { message: /^broken: FAILED: no disk\ncomplete-ended-matches: 0 done .*\n1 of 8 jobs failed$/s })
})
