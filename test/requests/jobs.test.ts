import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { build } from '../../app'
import { REMINDER_JOB } from '../../domain/requests'
import { REQUEST_MESSAGES } from '../../domain/requests/messages'
import { mentee, mentor, organization } from '../fixtures'
import { ask, DAY, HOUR, noticesAbout, requestClock, requestRows, requestWorld } from './world'

const statuses = (app: Parameters<typeof requestRows>[0]) => requestRows(app).map((row) => (row as { status: string }).status)

t.test('expireOverdue: every organization\'s overdue OPEN requests become EXPIRED, each mentee told once; idempotent', async (t) => {
  const w = await requestWorld(t)
  const [a, b] = w.teachers as Array<typeof w.teachers[0]>
  const early = (await ask(w.app, w.learner, a!)).body
  t.equal((await ask(w.app, w.strangerMentee, w.stranger)).status, 201)
  w.clock.advance(2 * DAY)
  const later = (await ask(w.app, w.learner, b!)).body
  const answered = (await ask(w.app, w.peer, a!)).body
  await w.app.inject({ method: 'POST', url: `/api/requests/${answered.id}/decline`, headers: a!.headers, payload: { decline_reason: 'OTHER' } })

  t.equal(w.app.domain.requests.expireOverdue(), 0, 'nothing is due before its moment')
  w.clock.advance(5 * DAY)
  const start = noticesAbout(w.app).length
  t.equal(w.app.domain.requests.expireOverdue(), 2, 'the two made seven days ago, in both organizations')
  t.same(statuses(w.app), ['EXPIRED', 'EXPIRED', 'OPEN', 'DECLINED'])
  t.same(noticesAbout(w.app).slice(start), [
    { user_id: w.learner.user.id, content: REQUEST_MESSAGES.expired, match_id: null, about_user_id: a!.user.id },
    { user_id: w.strangerMentee.user.id, content: REQUEST_MESSAGES.expired, match_id: null, about_user_id: w.stranger.user.id }
  ])
  t.equal(w.app.domain.requests.expireOverdue(), 0, 'a second run does nothing')
  t.equal(noticesAbout(w.app).length, start + 2, 'and tells nobody again')
  t.equal((await w.app.inject({ url: `/api/requests/${early.id}`, headers: w.learner.headers })).json().status, 'EXPIRED')

  w.clock.advance(2 * DAY)
  const reports = await w.app.domain.jobs.runAll()
  t.equal(reports.find((report) => report.job === 'expire-requests')?.done, 1, 'the later one, two days after, by the scheduled jobs')
  t.equal((await w.app.inject({ url: `/api/requests/${later.id}`, headers: w.learner.headers })).json().status, 'EXPIRED')
})

t.test('remindWaiting: a mentor is reminded once of a request waiting past half its life, even across runs and restarts', async (t) => {
  const folder = mkdtempSync(join(tmpdir(), 'mentormatchr-reminders-'))
  t.teardown(() => rmSync(folder, { recursive: true, force: true }))
  const clock = requestClock()
  const start = async () => {
    const app = build({ config: { DATABASE_PATH: join(folder, 'reminders.db') }, clock })
    await app.ready()
    return app
  }
  let app = await start()
  t.teardown(() => app.close())
  const { orgId } = await organization(app)
  const teacher = await mentor(app, orgId)
  const other = await mentor(app, orgId)
  const learner = await mentee(app, orgId)
  const waiting = (await ask(app, learner, teacher)).body
  const withdrawn = (await ask(app, learner, other)).body
  await app.inject({ method: 'DELETE', url: `/api/requests/${withdrawn.id}`, headers: learner.headers })

  clock.advance(3.5 * DAY - HOUR)
  t.equal(app.domain.requests.remindWaiting(), 0, 'not before half its life')
  clock.advance(2 * HOUR)
  const before = noticesAbout(app).length
  t.equal(app.domain.requests.remindWaiting(), 1, 'past half of its seven days: its mentor, not the withdrawn one\'s')
  t.same(noticesAbout(app).slice(before), [{ user_id: teacher.user.id, content: REQUEST_MESSAGES.reminder, match_id: null, about_user_id: learner.user.id }])
  t.equal(app.domain.requests.remindWaiting(), 0, 'a second run reminds nobody')
  t.match(app.sqlite.prepare('SELECT job, subject_id, period, done_at FROM job_records').all(),
    [{ job: REMINDER_JOB, subject_id: waiting.id, period: '', done_at: clock.now().toISOString() }], 'the deed is recorded')

  await app.close()
  app = await start()
  clock.advance(DAY)
  t.equal(app.domain.requests.remindWaiting(), 0, 'nor after a restart')
  clock.advance(3 * DAY)
  t.equal(app.domain.requests.remindWaiting(), 0, 'an expired request is not reminded')
  t.equal(noticesAbout(app).filter((notice) => notice.content === REQUEST_MESSAGES.reminder).length, 1, 'one reminder in all')
})
