import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { loadConfig } from '../../plugins/config'
import { activeMatch, mentee, mentor, organization } from '../fixtures'
import { buildApp, call, movableClock, until } from '../helper'

/** About 30 ms between runs. */
const OFTEN = 0.0005

t.test('the scheduler runs the jobs every JOBS_INTERVAL_MINUTES, one run at a time, and stops when the app closes', async (t) => {
  const clock = movableClock()
  const app = await buildApp(t, { JOBS_INTERVAL_MINUTES: OFTEN }, { clock, scheduler: true })
  const home = await organization(app)
  const match = await activeMatch(app, home.owner, await mentor(app, home.orgId), await mentee(app, home.orgId))
  await call(app, 'PUT', `/api/matches/${match.id}`, { headers: home.owner.headers, payload: { end_date: clock.days(1).toISOString() } })
  clock.days(2)

  let running = 0
  let overlapped = false
  let runs = 0
  const { runAll } = app.domain.jobs
  app.domain.jobs.runAll = async () => {
    overlapped ||= running > 0
    running++
    runs++
    try {
      await sleep(40)
      return await runAll()
    } finally {
      running--
    }
  }
  const statusOfMatch = async () => (await call(app, 'GET', `/api/matches/${match.id}`, { headers: home.owner.headers })).body.status
  await until(() => runs >= 3, 'three runs')
  t.equal(await statusOfMatch(), 'COMPLETED', 'the job ran on its own')
  t.notOk(overlapped, 'a run never starts while another is running, though each outlasts the interval')
  await app.close()
  const after = runs
  await sleep(150)
  t.equal(runs, after, 'no run after close')
})

t.test('off unless asked (tests, commands) or with JOBS_INTERVAL_MINUTES=0', async (t) => {
  for (const [config, scheduler] of [[{ JOBS_INTERVAL_MINUTES: OFTEN }, false], [{ JOBS_INTERVAL_MINUTES: 0 }, true]] as const) {
    const app = await buildApp(t, config, { scheduler })
    let runs = 0
    app.domain.jobs.runAll = async () => { runs++; return [] }
    await sleep(100)
    t.equal(runs, 0, JSON.stringify({ config, scheduler }))
  }
})

t.test('a run that throws is logged, and the next run still comes', async (t) => {
  const app = await buildApp(t, { JOBS_INTERVAL_MINUTES: OFTEN }, { scheduler: true })
  let runs = 0
  app.domain.jobs.runAll = async () => {
    runs++
    throw new Error('the database is locked')
  }
  await until(() => runs >= 2, 'a run after the failing one')
  t.pass('ran again after a failure')
})

t.test('JOBS_INTERVAL_MINUTES must be a number of minutes, 0 or more', async (t) => {
  t.throws(() => loadConfig({ DATABASE_PATH: ':memory:', JOBS_INTERVAL_MINUTES: -1 }),
    { message: 'JOBS_INTERVAL_MINUTES=-1 is not valid: set JOBS_INTERVAL_MINUTES to a number of minutes between runs of the scheduled jobs, or 0 to run none' })
  t.equal(loadConfig({ DATABASE_PATH: ':memory:' }).JOBS_INTERVAL_MINUTES, 5)
})
