import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import t, { type Test } from 'tap'
import { EMAIL_CLAIM_JOB, EMAIL_CLAIM_MS } from '../../domain/email'
import { organization } from '../fixtures'
import { buildApp, movableClock, rowsOf, scopeOf } from '../helper'
import { mailServer } from '../mail'

// Real SMTP conversations on 127.0.0.1: seconds in all on a busy machine.
t.setTimeout(120_000)

/** A database file in a folder of its own, removed when the test ends. */
function databaseFile (t: Test) {
  const directory = mkdtempSync(join(tmpdir(), 'mentormatchr-claims-'))
  t.teardown(() => rmSync(directory, { recursive: true, force: true }))
  return join(directory, 'claims.db')
}

/** Notifications whose emails are due and untried, as a server that stopped before sending leaves them. */
function pendingEmails (app: FastifyInstance, organizationId: number, userIds: number[]) {
  const insert = app.sqlite.prepare(`INSERT INTO notifications (organization_id, user_id, content, email_status, created_at, updated_at)
    VALUES (?, ?, ?, 'PENDING', ?, ?)`)
  const at = new Date().toISOString()
  userIds.forEach((userId, index) => insert.run(organizationId, userId, `Notice ${index + 1}`, at, at))
}

type Row = { id: number, email_status: string | null, email_attempts: number }
const claimsOf = (app: FastifyInstance) => (rowsOf(app, 'job_records') as Array<{ job: string }>).filter((row) => row.job === EMAIL_CLAIM_JOB)

t.test('two senders on one database file (the server and run-jobs --once) send each email exactly once', async (t) => {
  const smtp = await mailServer(t)
  const DATABASE_PATH = databaseFile(t)
  const server = await buildApp(t, { DATABASE_PATH, SMTP_URL: smtp.url })
  const cron = await buildApp(t, { DATABASE_PATH, SMTP_URL: smtp.url })
  const { orgId, owner, manager, user } = await organization(server)
  const people = [owner.user.id, manager.user.id, user.user.id]
  const before = (rowsOf(server, 'notifications') as Row[]).length
  pendingEmails(server, orgId, Array.from({ length: 12 }, (_, index) => people[index % people.length]!))

  // Both read the same twelve due emails before either has sent one; each claims before it sends.
  const [byServer, byCron, byJobs] = await Promise.all([server.domain.email.sendDue(), cron.domain.email.sendDue(), cron.domain.jobs.runAll()])
  const byCronJobs = byJobs.find((report) => report.job === 'send-email')!.done ?? 0
  t.equal(byServer + byCron + byCronJobs, 12, `the server sent ${byServer}, run-jobs ${byCron + byCronJobs}`)
  t.equal(smtp.received.length, 12, 'twelve emails arrived')
  const subjects = smtp.received.map((mail) => /^Subject: (.*)$/m.exec(mail.message)![1]).sort()
  t.same(subjects, [...new Set(subjects)], 'no email twice')
  t.ok((rowsOf(cron, 'notifications') as Row[]).slice(before).every((row) => row.email_status === 'SENT' && row.email_attempts === 1), 'each marked SENT after one try')
  t.same(claimsOf(cron), [], 'no claim left behind')

  t.equal(await server.domain.email.sendDue() + await cron.domain.email.sendDue(), 0, 'nothing left to send')
  t.equal(smtp.received.length, 12)
})

t.test('a claim left by a sender that stopped mid-send holds the email for EMAIL_CLAIM_MS, then it is tried again', async (t) => {
  const smtp = await mailServer(t)
  const clock = movableClock()
  const app = await buildApp(t, { SMTP_URL: smtp.url }, { clock })
  const { orgId, user } = await organization(app)
  pendingEmails(app, orgId, [user.user.id])
  const notification = (rowsOf(app, 'notifications') as Row[]).at(-1)!
  app.sqlite.prepare('INSERT INTO job_records (organization_id, job, subject_id, done_at) VALUES (?, ?, ?, ?)')
    .run(orgId, EMAIL_CLAIM_JOB, notification.id, clock.now().toISOString())

  t.equal(await app.domain.email.sendDue(), 0, 'claimed by the stopped sender: not sent')
  clock.advance(EMAIL_CLAIM_MS - 1000)
  t.equal(await app.domain.email.sendDue(), 0, 'still within its claim')
  clock.advance(2000)
  t.equal(await app.domain.email.sendDue(), 1, 'the claim has lapsed: sent')
  t.equal(smtp.received.length, 1)
  t.match((rowsOf(app, 'notifications') as Row[]).at(-1), { email_status: 'SENT', email_attempts: 1 })
  t.same(claimsOf(app), [])
})

t.test('a person who changes their email choice or address while a pass sends is written to as they are now', async (t) => {
  let onMessage = (_message: { to: string[] }) => {}
  const smtp = await mailServer(t, false, (message) => onMessage(message))
  const app = await buildApp(t, { SMTP_URL: smtp.url })
  const { orgId, manager, user } = await organization(app)
  const before = (rowsOf(app, 'notifications') as Row[]).length
  // Two emails each, read by the pass before the first is sent: the manager's first, then the user's.
  pendingEmails(app, orgId, [manager.user.id, manager.user.id, user.user.id, user.user.id])
  onMessage = () => {
    onMessage = () => {}
    // While the manager's first email is being accepted, both change their settings.
    app.domain.tables.users.update(scopeOf(orgId), manager.user.id, { email: 'moved@example.org' })
    app.domain.tables.users.update(scopeOf(orgId), user.user.id, { email_notifications: 'NONE' })
  }

  t.equal(await app.domain.email.sendDue(), 2)
  t.same(smtp.received.map((mail) => mail.to), [[manager.user.email], ['moved@example.org']], 'the second to the new address; none to the one who chose NONE')
  t.same((rowsOf(app, 'notifications') as Row[]).slice(before).map((row) => row.email_status), ['SENT', 'SENT', 'PENDING', 'PENDING'], 'unsent, not tried')
  t.same(claimsOf(app), [], 'no claim left behind')
  t.equal(await app.domain.email.sendDue(), 0)
  t.same((rowsOf(app, 'notifications') as Row[]).slice(before).map((row) => row.email_status), ['SENT', 'SENT', 'SKIPPED', 'SKIPPED'], 'the next pass skips them')
})
