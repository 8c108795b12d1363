import type { FastifyInstance } from 'fastify'
import t, { type Test } from 'tap'
import { MAX_EMAIL_ATTEMPTS } from '../../domain/email'
import { MATCH_MESSAGES } from '../../domain/matches/messages'
import { activeMatch, mentee, mentor, organization } from '../fixtures'
import { buildApp, call, movableClock, rowsOf, until } from '../helper'
import { decoded, mailServer } from '../mail'

// Real SMTP conversations on 127.0.0.1: seconds in all on a busy machine.
t.setTimeout(120_000)

const APP_URL = 'https://mentoring.example.org'

interface Row { id: number, user_id: number, content: string, email_status: string | null, email_attempts: number }
const emailOf = (app: FastifyInstance) => (rowsOf(app, 'notifications') as Row[])
  .map(({ user_id, content, email_status, email_attempts }) => ({ user_id, content, email_status, email_attempts }))
const doneBy = (reports: Array<{ job: string, done?: number }>) => Object.fromEntries(reports.map(({ job, done }) => [job, done]))

/** An organization with a mentor and a mentee, email on (a local SMTP server), and a clock the test moves. */
async function world (t: Test, refuse = false) {
  const smtp = await mailServer(t, refuse)
  const clock = movableClock()
  const app = await buildApp(t, { SMTP_URL: smtp.url, APP_URL, MAIL_FROM: 'MentorMatchr <news@mentormatchr.test>' }, { clock })
  const home = await organization(app)
  const teacher = await mentor(app, home.orgId)
  const learner = await mentee(app, home.orgId)
  return { smtp, clock, app, ...home, teacher, learner }
}

const fullName = (person: { user: { first_name: string | null } }) => `${person.user.first_name} Tester`

t.test('EACH (the default): one email per notification, after the request, naming the person, the other party and the match', async (t) => {
  const { smtp, app, owner, teacher, learner } = await world(t)
  const match = await activeMatch(app, owner, teacher, learner)
  await until(() => smtp.received.length === 2, 'both emails arrive')
  const toMentor = smtp.received.find((mail) => mail.to[0] === teacher.user.email)!
  const text = decoded(toMentor.message)
  t.match(text, `Subject: MentorMatchr: ${MATCH_MESSAGES.matchedWithMentee}`)
  t.match(text, `Hello ${fullName(teacher)},`)
  t.match(text, MATCH_MESSAGES.matchedWithMentee)
  t.match(text, `About: ${fullName(learner)}.`)
  t.match(text, `Match #${match.id}: ${fullName(teacher)} (mentor) and ${fullName(learner)} (mentee).`)
  t.match(text, `Open MentorMatchr: ${APP_URL}/`)
  t.match(text, new RegExp(`To receive no more email from MentorMatchr, open ${APP_URL}/api/unsubscribe/${teacher.user.id}\\.[\\w-]{43}`))
  t.match(text, /List-Unsubscribe-Post: List-Unsubscribe=One-Click/)
  t.equal(toMentor.from, 'news@mentormatchr.test')
  // The server has the message before the sender hears its answer and marks it sent.
  await until(() => emailOf(app).every((row) => row.email_status === 'SENT'), 'both are marked sent')
  t.same(emailOf(app).map((row) => [row.email_status, row.email_attempts]), [['SENT', 1], ['SENT', 1]])

  t.same(doneBy(await app.domain.jobs.runAll()), {
    'complete-ended-matches': 0, 'nudge-inactive-matches': 0, 'report-pending-profiles': 0, 'expire-requests': 0, 'remind-waiting-requests': 0, 'send-email': 0, 'send-email-digests': 0
  }, 'the jobs have nothing left to send')
  t.equal(smtp.received.length, 2, 'nothing is sent twice')
})

t.test('DIGEST: one email a day with the notifications of the days before, never twice; NONE: no email', async (t) => {
  const { smtp, clock, app, owner, manager, teacher, learner } = await world(t)
  t.equal((await call(app, 'PUT', `/api/users/${teacher.user.id}`, { headers: teacher.headers, payload: { email_notifications: 'DIGEST' } })).status, 200)
  const none = await call(app, 'PUT', `/api/users/${learner.user.id}`, { headers: learner.headers, payload: { email_notifications: 'NONE' } })
  t.equal(none.body.email_notifications, 'NONE', 'the user record shows the choice')

  await activeMatch(app, owner, teacher, learner)
  for (const content of ['First meeting on Monday', 'Bring your laptop']) {
    t.equal((await call(app, 'POST', '/api/notifications', { headers: manager.headers, payload: { user_id: teacher.user.id, content } })).status, 201)
  }
  t.same(emailOf(app).map((row) => [row.user_id, row.email_status]),
    [[teacher.user.id, 'PENDING'], [learner.user.id, 'SKIPPED'], [teacher.user.id, 'PENDING'], [teacher.user.id, 'PENDING']])
  t.equal(doneBy(await app.domain.jobs.runAll())['send-email-digests'], 0, "not the same day: the day's digest is tomorrow's")

  clock.days(1)
  t.equal(doneBy(await app.domain.jobs.runAll())['send-email-digests'], 1)
  t.equal(smtp.received.length, 1, 'one email for three notifications, none for the mentee')
  const text = decoded(smtp.received[0]!.message)
  t.same(smtp.received[0]!.to, [teacher.user.email])
  t.match(text, 'Subject: MentorMatchr: your daily digest, 3 notifications')
  t.match(text, `Hello ${fullName(teacher)},`)
  for (const content of [MATCH_MESSAGES.matchedWithMentee, 'First meeting on Monday', 'Bring your laptop']) t.match(text, `: ${content}`)
  t.match(text, `  About: ${fullName(learner)}.`)
  t.same(emailOf(app).map((row) => row.email_status), ['SENT', 'SKIPPED', 'SENT', 'SENT'])

  t.equal(doneBy(await app.domain.jobs.runAll())['send-email-digests'], 0, 'not sent twice')
  clock.days(2)
  t.equal(doneBy(await app.domain.jobs.runAll())['send-email-digests'], 0, 'nor the next day, with nothing new')
  t.equal(smtp.received.length, 1)
})

t.test('a mail server that refuses: the request answers at once; the jobs retry, then give up (FAILED)', async (t) => {
  const { smtp, app, manager, teacher } = await world(t, true)
  const started = performance.now()
  const res = await call(app, 'POST', '/api/notifications', { headers: manager.headers, payload: { user_id: teacher.user.id, content: 'Welcome' } })
  const took = performance.now() - started
  t.equal(res.status, 201)
  t.ok(took < 1000, `the request did not wait for the mail server (${Math.round(took)} ms)`)
  await until(() => emailOf(app)[0]!.email_attempts === 1, 'the first try, after the request')
  t.match(emailOf(app), [{ email_status: 'PENDING', email_attempts: 1 }])

  for (let run = 2; run <= MAX_EMAIL_ATTEMPTS; run++) {
    t.equal(doneBy(await app.domain.jobs.runAll())['send-email'], 0)
    t.match(emailOf(app), [{ email_status: run < MAX_EMAIL_ATTEMPTS ? 'PENDING' : 'FAILED', email_attempts: run }], `try ${run}`)
  }
  await app.domain.jobs.runAll()
  t.match(emailOf(app), [{ email_status: 'FAILED', email_attempts: MAX_EMAIL_ATTEMPTS }], 'no try after the last')
  t.equal(smtp.received.length, 0)
})

t.test('without SMTP_URL nothing is marked for email', async (t) => {
  const app = await buildApp(t)
  const home = await organization(app)
  await activeMatch(app, home.owner, await mentor(app, home.orgId), await mentee(app, home.orgId))
  t.same(emailOf(app).map((row) => row.email_status), [null, null])
  t.same(doneBy(await app.domain.jobs.runAll()), {
    'complete-ended-matches': 0, 'nudge-inactive-matches': 0, 'report-pending-profiles': 0, 'expire-requests': 0, 'remind-waiting-requests': 0, 'send-email': 0, 'send-email-digests': 0
  })
})

t.test('email_notifications: each person chooses their own; staff cannot choose for them', async (t) => {
  const app = await buildApp(t)
  const { owner, manager, user } = await organization(app)
  const mine = await call(app, 'GET', '/api/users/current_user', { headers: user.headers })
  t.equal(mine.body.email_notifications, 'EACH', 'EACH by default')
  const before = rowsOf(app, 'users')
  for (const staff of [owner, manager]) {
    const refused = await call(app, 'PUT', `/api/users/${user.user.id}`, { headers: staff.headers, payload: { email_notifications: 'NONE' } })
    t.same([refused.status, refused.body], [403, { error: 'Only the person chooses how they receive email' }])
  }
  const bad = await call(app, 'PUT', `/api/users/${user.user.id}`, { headers: user.headers, payload: { email_notifications: 'WEEKLY' } })
  t.equal(bad.status, 400)
  t.match(bad.body, { error: String, details: [{ field: 'email_notifications' }] })
  t.same(rowsOf(app, 'users'), before, 'nothing written')
  const same = await call(app, 'PUT', `/api/users/${user.user.id}`, { headers: owner.headers, payload: { first_name: 'Ann', email_notifications: 'EACH' } })
  t.equal(same.status, 200, 'staff may send the record back with the choice unchanged')
  const chosen = await call(app, 'PUT', `/api/users/${user.user.id}`, { headers: user.headers, payload: { email_notifications: 'DIGEST' } })
  t.same([chosen.status, chosen.body.email_notifications], [200, 'DIGEST'])
})

t.test('the unsubscribe link works without signing in, and only for its own person', async (t) => {
  const { smtp, app, owner, manager, teacher, learner } = await world(t)
  await call(app, 'POST', '/api/notifications', { headers: manager.headers, payload: { user_id: teacher.user.id, content: 'Hello' } })
  await until(() => smtp.received.length === 1, 'the email arrives')
  const link = /open (https:\/\/mentoring\.example\.org\/api\/unsubscribe\/[\w.-]+)$/m.exec(decoded(smtp.received[0]!.message))![1]!
  const path = new URL(link).pathname
  const token = path.split('/').at(-1)!

  const shown = await app.inject({ method: 'GET', url: path })
  t.equal(shown.statusCode, 200)
  t.match(shown.headers['content-type'], 'text/html')
  t.match(shown.body, `${fullName(teacher)}:`)
  t.match(shown.body, '<form method="post">')
  t.equal((rowsOf(app, 'users') as Array<{ id: number, email_notifications: string }>).find((row) => row.id === teacher.user.id)!.email_notifications,
    'EACH', 'opening the link changes nothing (mail scanners open links)')

  const before = rowsOf(app, 'users')
  const [, signature] = token.split('.')
  const refusals: Array<[string, number]> = [
    [`${learner.user.id}.${signature}`, 403], // another person's id with this person's signature
    [`${teacher.user.id}.${signature!.slice(0, -1)}${signature!.endsWith('A') ? 'B' : 'A'}`, 403],
    [`${teacher.user.id}`, 400],
    ['not-a-token', 400]
  ]
  for (const [tampered, status] of refusals) {
    for (const method of ['GET', 'POST'] as const) {
      const res = await call(app, method, `/api/unsubscribe/${tampered}`)
      t.equal(res.status, status, `${method} ${tampered}`)
      t.match(res.body, { error: /unsubscribe link is not valid/ })
    }
  }
  t.same(rowsOf(app, 'users'), before, 'a tampered link writes nothing')

  // One-click unsubscribe as mail programs do it (RFC 8058), without a token.
  const stopped = await app.inject({
    method: 'POST', url: path, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'List-Unsubscribe=One-Click'
  })
  t.equal(stopped.statusCode, 200)
  t.match(stopped.body, 'you will receive no more email from MentorMatchr')
  const users = rowsOf(app, 'users') as Array<{ id: number, email_notifications: string }>
  t.equal(users.find((row) => row.id === teacher.user.id)!.email_notifications, 'NONE')
  t.equal(users.find((row) => row.id === learner.user.id)!.email_notifications, 'EACH', 'nobody else')
  t.match((await app.inject({ method: 'GET', url: path })).body, 'You receive no email from MentorMatchr.')

  await call(app, 'POST', '/api/notifications', { headers: manager.headers, payload: { user_id: teacher.user.id, content: 'Still there?' } })
  await app.domain.jobs.runAll()
  t.equal(smtp.received.length, 1, 'no more email')
  t.equal(emailOf(app).at(-1)!.email_status, 'SKIPPED')

  t.equal((await call(app, 'DELETE', `/api/users/${teacher.user.id}/remove`, { headers: owner.headers })).status, 200)
  const erased = await call(app, 'GET', path)
  t.same([erased.status, erased.body], [404, { error: 'User not found' }], 'the link of an erased person finds nobody')
})
