import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import t from 'tap'
import { build } from '../../app'
import { JOB_MESSAGES, nameOf } from '../../domain/jobs/messages'
import { MATCH_MESSAGES } from '../../domain/matches/messages'
import { activeMatch, mentee, mentor, organization, statusOf } from '../fixtures'
import { buildApp, call, movableClock, rowsOf, scopeOf } from '../helper'
import { temporaryFolder } from '../cli/process'

// Six apps, each with an organization and a match made through the routes: slow on a busy machine.
t.setTimeout(120_000)

type Row = { user_id: number, content: string, match_id: number | null, about_user_id: number | null }
const notificationsOf = (app: FastifyInstance) => (rowsOf(app, 'notifications') as Row[])
  .map(({ user_id, content, match_id, about_user_id }) => ({ user_id, content, match_id, about_user_id }))
const doneBy = (reports: Array<{ job: string, done?: number }>) => Object.fromEntries(reports.map(({ job, done }) => [job, done]))

/** An organization with an ACTIVE match made now (by the real clock), and a clock the test moves. */
async function world (t: Parameters<typeof buildApp>[0], config: Parameters<typeof buildApp>[1] = {}) {
  const clock = movableClock()
  const app = await buildApp(t, config, { clock })
  const home = await organization(app)
  const teacher = await mentor(app, home.orgId)
  const learner = await mentee(app, home.orgId)
  const match = await activeMatch(app, home.owner, teacher, learner)
  clock.restart()
  return { app, clock, ...home, teacher, learner, match, matchedNotices: notificationsOf(app).length }
}

t.test('an ACTIVE match without a meeting is nudged once per period of inactive_match_days, and a meeting starts the count again', async (t) => {
  const { app, clock, owner, manager, teacher, learner, match, matchedNotices } = await world(t)
  const run = async () => doneBy(await app.domain.jobs.runAll())['nudge-inactive-matches']
  const nudges = () => notificationsOf(app).slice(matchedNotices)

  clock.days(29.9)
  t.equal(await run(), 0, 'not before 30 days (the default)')
  clock.days(30)
  t.equal(await run(), 1)
  const party = JOB_MESSAGES.inactiveParty(30)
  const staff = JOB_MESSAGES.inactiveStaff(`${teacher.user.first_name} Tester`, `${learner.user.first_name} Tester`, 30)
  t.same(nudges(), [
    { user_id: teacher.user.id, content: party, match_id: match.id, about_user_id: learner.user.id },
    { user_id: learner.user.id, content: party, match_id: match.id, about_user_id: teacher.user.id },
    { user_id: owner.user.id, content: staff, match_id: match.id, about_user_id: learner.user.id },
    { user_id: manager.user.id, content: staff, match_id: match.id, about_user_id: learner.user.id }
  ], 'both people, and the staff (OWNER and MANAGER), each with the match and the other person')
  t.equal(await run(), 0, 'running again does nothing')
  clock.days(59)
  t.equal(await run(), 0, 'nor later in the same period')
  t.equal(nudges().length, 4)

  clock.days(60)
  t.equal(await run(), 1, 'a period later: nudged again')
  t.equal(nudges().length, 8)
  t.equal(nudges()[4]!.content, JOB_MESSAGES.inactiveParty(60))

  clock.days(61)
  const meeting = await call(app, 'POST', '/api/meetings', {
    headers: teacher.headers, payload: { match_id: match.id, meeting_date: clock.now().toISOString(), location: 'Library' }
  })
  t.equal(meeting.status, 201)
  clock.days(90.9)
  t.equal(await run(), 0, 'the meeting of day 61 starts a new quiet spell')
  clock.days(91)
  t.equal(await run(), 1, '30 days after the meeting')
  t.equal(nudges().at(-4)!.content, JOB_MESSAGES.inactiveParty(30))
})

t.test("the organization's own inactive_match_days; matches that are not ACTIVE, and other organizations' settings", async (t) => {
  const { app, clock, orgId, owner, match } = await world(t)
  app.domain.tables.organizations.update(scopeOf(null), orgId, { inactive_match_days: 10 })
  const other = await organization(app)
  const quiet = await activeMatch(app, other.owner, await mentor(app, other.orgId), await mentee(app, other.orgId))
  const ended = await activeMatch(app, owner, { profile: (await mentor(app, orgId)).profile }, await mentee(app, orgId))
  t.equal((await call(app, 'PUT', `/api/matches/${ended.id}`, { headers: owner.headers, payload: { status: 'CANCELLED' } })).status, 200)
  clock.restart()

  clock.days(10)
  const nudged = () => (rowsOf(app, 'job_records') as Array<{ job: string, subject_id: number }>)
    .filter(({ job }) => job === 'nudge-inactive-match').map(({ subject_id }) => subject_id)
  t.equal(doneBy(await app.domain.jobs.runAll())['nudge-inactive-matches'], 1)
  t.same(nudged(), [match.id], 'only the ACTIVE match of the organization that waits 10 days')
  clock.days(30)
  await app.domain.jobs.runAll()
  t.same(nudged(), [match.id, match.id, quiet.id], 'the other organization after its 30 days; the first once for its current period (day 30), not for each period it skipped')
})

t.test('a restart between two runs (a new app on the same database file) does not nudge again', async (t) => {
  const folder = temporaryFolder(t, 'jobs')
  const config = { DATABASE_PATH: join(folder, 'jobs.db') }
  const first = await world(t, config)
  first.clock.days(31)
  t.equal(doneBy(await first.app.domain.jobs.runAll())['nudge-inactive-matches'], 1)
  const written = notificationsOf(first.app).length
  await first.app.close()

  const again = build({ config, clock: first.clock })
  t.teardown(() => again.close())
  await again.ready()
  t.same(doneBy(await again.domain.jobs.runAll()), {
    'complete-ended-matches': 0, 'nudge-inactive-matches': 0, 'report-pending-profiles': 0, 'expire-requests': 0, 'remind-waiting-requests': 0, 'send-email': 0, 'send-email-digests': 0
  })
  t.equal(notificationsOf(again).length, written, 'nothing written twice')
})

t.test('staff hear once of a profile PENDING for pending_profile_days', async (t) => {
  const clock = movableClock()
  const app = await buildApp(t, {}, { clock })
  const { orgId, owner, manager } = await organization(app)
  const waiting = await mentor(app, orgId, { status: 'PENDING' })
  const learner = await mentee(app, orgId, { status: 'PENDING' })
  await mentor(app, orgId)
  const removed = await mentee(app, orgId, { status: 'PENDING' })
  app.domain.tables.mentees.update(scopeOf(orgId), removed.profile.id, { deleted: true })
  clock.restart()

  const run = async () => doneBy(await app.domain.jobs.runAll())['report-pending-profiles']
  clock.days(6.9)
  t.equal(await run(), 0)
  clock.days(7)
  t.equal(await run(), 2, 'the pending mentor and mentee; not the AVAILABLE one, nor the deleted one')
  const name = (person: { user: { first_name: string | null } }) => `${person.user.first_name} Tester`
  t.same(notificationsOf(app), [
    { user_id: owner.user.id, content: JOB_MESSAGES.pendingProfile('mentor', name(waiting), 7), match_id: null, about_user_id: waiting.user.id },
    { user_id: manager.user.id, content: JOB_MESSAGES.pendingProfile('mentor', name(waiting), 7), match_id: null, about_user_id: waiting.user.id },
    { user_id: owner.user.id, content: JOB_MESSAGES.pendingProfile('mentee', name(learner), 7), match_id: null, about_user_id: learner.user.id },
    { user_id: manager.user.id, content: JOB_MESSAGES.pendingProfile('mentee', name(learner), 7), match_id: null, about_user_id: learner.user.id }
  ])
  clock.days(40)
  t.equal(await run(), 0, 'once per profile')
  t.equal(notificationsOf(app).length, 4)
})

t.test('a match whose end_date has passed is completed through the match lifecycle, with the usual notifications', async (t) => {
  const { app, clock, owner, teacher, learner, match, matchedNotices } = await world(t)
  const endDate = clock.days(10).toISOString()
  clock.days(0)
  const set = await call(app, 'PUT', `/api/matches/${match.id}`, { headers: owner.headers, payload: { end_date: endDate } })
  t.equal(set.status, 200)
  t.equal(statusOf(app, 'mentors', teacher.profile.id), 'UNAVAILABLE')

  const run = async () => doneBy(await app.domain.jobs.runAll())['complete-ended-matches']
  clock.days(9.9)
  t.equal(await run(), 0)
  clock.days(10)
  t.equal(await run(), 1)
  const completed = await call(app, 'GET', `/api/matches/${match.id}`, { headers: owner.headers })
  t.match(completed.body, { status: 'COMPLETED', end_date: endDate })
  t.equal(statusOf(app, 'mentors', teacher.profile.id), 'AVAILABLE', 'the place it held is free')
  t.equal(statusOf(app, 'mentees', learner.profile.id), 'AVAILABLE')
  t.same(notificationsOf(app).slice(matchedNotices), [
    { user_id: teacher.user.id, content: MATCH_MESSAGES.completed, match_id: match.id, about_user_id: learner.user.id },
    { user_id: learner.user.id, content: MATCH_MESSAGES.completed, match_id: match.id, about_user_id: teacher.user.id }
  ], 'what a staff completion tells, to the same people')
  t.equal(await run(), 0, 'and never again')
  clock.days(100)
  t.equal(doneBy(await app.domain.jobs.runAll())['nudge-inactive-matches'], 0, 'a completed match is not nudged')
})

t.test('a job that fails is logged and reported; the others still run', async (t) => {
  const { app, clock, owner, match } = await world(t)
  await call(app, 'PUT', `/api/matches/${match.id}`, { headers: owner.headers, payload: { end_date: clock.days(1).toISOString() } })
  app.domain.jobs.list.unshift({ name: 'broken', run: () => { throw new Error('the disk is on fire') } })
  clock.days(2)
  const reports = await app.domain.jobs.runAll()
  t.match(reports[0], { job: 'broken', error: 'the disk is on fire' })
  t.notOk('done' in reports[0]!)
  t.equal(doneBy(reports)['complete-ended-matches'], 1)
})

t.test('a completion that fails rolls back alone: its match stays ACTIVE and is tried again, the others complete', async (t) => {
  const { app, clock, orgId, owner, match } = await world(t)
  const other = await activeMatch(app, owner, await mentor(app, orgId), await mentee(app, orgId))
  for (const { id } of [match, other]) {
    t.equal((await call(app, 'PUT', `/api/matches/${id}`, { headers: owner.headers, payload: { end_date: clock.days(1).toISOString() } })).status, 200)
  }
  const logged: string[] = []
  app.log.error = ((details: { match?: number }, message: string) => { logged.push(`${details.match}: ${message}`) }) as typeof app.log.error
  app.sqlite.exec(`CREATE TEMP TRIGGER refuse_completion BEFORE INSERT ON notifications WHEN NEW.match_id = ${match.id}
    BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`)
  const noticesBefore = notificationsOf(app).length
  clock.days(2)

  const run = async () => doneBy(await app.domain.jobs.runAll())['complete-ended-matches']
  t.equal(await run(), 1)
  t.same(logged, [`${match.id}: could not complete a match whose end date has passed`])
  const statuses = () => Object.fromEntries((rowsOf(app, 'matches') as Array<{ id: number, status: string }>).map(({ id, status }) => [id, status]))
  t.same(statuses(), { [match.id]: 'ACTIVE', [other.id]: 'COMPLETED' }, 'the refused one is as it was')
  t.equal(notificationsOf(app).length, noticesBefore + 2, "only the other match's notices")
  t.same((rowsOf(app, 'job_records') as Array<{ subject_id: number }>).map((row) => row.subject_id), [other.id], 'nothing recorded of the refused one')

  app.sqlite.exec('DROP TRIGGER refuse_completion')
  t.equal(await run(), 1, 'the next run completes it')
  t.same(statuses(), { [match.id]: 'COMPLETED', [other.id]: 'COMPLETED' })
})

t.test('the jobs and the emails name a person by first and last name, by the one given, else by the email', async (t) => {
  const email = 'ada@example.com'
  t.equal(nameOf({ first_name: 'Ada', last_name: 'Lovelace', email }), 'Ada Lovelace')
  t.equal(nameOf({ first_name: 'Ada', last_name: null, email }), 'Ada')
  t.equal(nameOf({ first_name: null, last_name: 'Lovelace', email }), 'Lovelace')
  t.equal(nameOf({ first_name: null, last_name: null, email }), email, 'a person without a name (an OWNER who registered with none)')
})
