import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'
import t, { type Test } from 'tap'
import { buildApp, call, createUser, registerOrganization, rowsOf } from '../helper'
import { decoded, mailServer } from '../mail'

async function setup (t: Test, config: Parameters<typeof buildApp>[1]) {
  const app = await buildApp(t, { MAIL_FROM: 'MentorMatchr <invites@mentormatchr.test>', ...config })
  const owner = await registerOrganization(app)
  const manager = await createUser(app, owner.organization.id, 'MANAGER', { first_name: 'Grace', last_name: 'Hopper' })
  return { app, owner, manager }
}

t.test('the invitee receives the invitation email with the accept link', async (t) => {
  const smtp = await mailServer(t)
  const { app, owner, manager } = await setup(t, { SMTP_URL: smtp.url, APP_URL: 'https://app.example.org' })
  const res = await call(app, 'POST', '/api/invitations', {
    headers: manager.headers,
    payload: { email: 'ada@example.com', name: 'Ada Lovelace', role: 'MENTOR' }
  })
  t.equal(res.status, 201)
  t.equal(res.body.email_sent, true)
  t.notOk('email_error' in res.body)
  t.equal(smtp.received.length, 1)
  const [mail] = smtp.received
  t.equal(mail?.from, 'invites@mentormatchr.test')
  t.same(mail?.to, ['ada@example.com'])
  const message = decoded(mail?.message ?? '')
  t.match(message, `Subject: You are invited to join ${owner.organization.name} on MentorMatchr`)
  t.match(message, 'Hello Ada Lovelace,')
  t.match(message, `Grace Hopper invites you to join ${owner.organization.name} on MentorMatchr as MENTOR.`)
  t.match(message, `Accept the invitation: https://app.example.org/invitations/${res.body.token}`)
  t.equal(res.body.accept_url, `https://app.example.org/invitations/${res.body.token}`)
  t.notMatch(message, '/github', 'no GitHub link when GitHub sign-in is off')
})

t.test("without APP_URL the email links to this server's own invitation page (and GitHub acceptance when configured)", async (t) => {
  const smtp = await mailServer(t)
  const { app, manager } = await setup(t, {
    SMTP_URL: smtp.url,
    GITHUB_CLIENT_ID: 'client',
    GITHUB_CLIENT_SECRET: 'secret'
  })
  const res = await call(app, 'POST', '/api/invitations', { headers: manager.headers, payload: { email: 'bob@example.com' } })
  t.equal(res.status, 201)
  t.equal(res.body.email_sent, true)
  t.equal(res.body.accept_url, `http://localhost:80/invitations/${res.body.token}`)
  const message = decoded(smtp.received[0]?.message ?? '')
  t.match(message, 'Hello,')
  t.match(message, `Accept the invitation: http://localhost:80/invitations/${res.body.token}\r\n`)
  t.match(message, `Or join with your GitHub account: http://localhost:80/api/invitations/${res.body.token}/github`)
})

t.test('a refusing mail server: the invitation stays, the answer says the email failed, the server runs on', async (t) => {
  const smtp = await mailServer(t, true)
  const { app, manager } = await setup(t, { SMTP_URL: smtp.url })
  const res = await call(app, 'POST', '/api/invitations', { headers: manager.headers, payload: { email: 'carol@example.com' } })
  t.equal(res.status, 201)
  t.equal(res.body.email_sent, false)
  t.equal(res.body.email_error, 'The invitation email was not sent: the mail server refused it (SMTP 550). Share the invitation link instead.')
  t.equal(smtp.received.length, 0)
  t.same(rowsOf(app, 'invitations').map((row) => (row as { id: number }).id), [res.body.id], 'the invitation was written')
  const preview = await call(app, 'GET', `/api/invitations/${res.body.token}`)
  t.equal(preview.status, 200)
  t.equal(preview.body.email, 'carol@example.com')
  t.equal((await call(app, 'GET', '/health')).status, 200)
  const next = await call(app, 'POST', '/api/invitations', { headers: manager.headers, payload: { email: 'dave@example.com' } })
  t.equal(next.status, 201, 'later invitations still work')
})

t.test('an unreachable mail server: reported the same way', async (t) => {
  // A port that was free a moment ago: nothing listens there any more.
  const probe = new SMTPServer({ logger: false })
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  const freePort = (probe.server.address() as AddressInfo).port
  await new Promise<void>((resolve) => probe.close(() => resolve()))

  const { app, manager } = await setup(t, { SMTP_URL: `smtp://127.0.0.1:${freePort}` })
  const res = await call(app, 'POST', '/api/invitations', { headers: manager.headers, payload: { email: 'erin@example.com' } })
  t.equal(res.status, 201)
  t.equal(res.body.email_sent, false)
  t.equal(res.body.email_error, 'The invitation email was not sent: the mail server could not be reached. Share the invitation link instead.')
  t.equal(rowsOf(app, 'invitations').length, 1)
})
