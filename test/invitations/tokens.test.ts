import t from 'tap'
import { tokenHash } from '../../db/tokens'
import { callerOf } from '../../domain/caller'
import { buildApp, call, createUser, PASSWORD, registerOrganization, rowsOf } from '../helper'

type Row = Record<string, unknown>

async function setup (t: Parameters<typeof buildApp>[0]) {
  const app = await buildApp(t, { APP_URL: 'https://app.example.org' })
  const owner = await registerOrganization(app)
  const manager = await createUser(app, owner.organization.id, 'MANAGER')
  const other = await registerOrganization(app)
  const invite = async (headers: Record<string, string>, payload: Record<string, unknown>) => {
    const res = await call(app, 'POST', '/api/invitations', { headers, payload })
    t.equal(res.status, 201, `invited ${JSON.stringify(payload)}`)
    return res.body as { id: number, token: string, role: string, expires_at: string, accept_url: string }
  }
  return { app, owner, manager, other, invite }
}

t.test('hole 1, a MANAGER cannot become OWNER: lists and reads never show a token, and ids accept nothing', async (t) => {
  const { app, owner, manager, invite } = await setup(t)
  const toOwner = await invite(owner.headers, { email: 'next-owner@example.com', role: 'OWNER' })

  const list = await call(app, 'GET', '/api/invitations', { headers: manager.headers })
  t.equal(list.status, 200)
  const seen = list.body.find((invitation: Row) => invitation.id === toOwner.id)
  t.ok(seen, 'the MANAGER sees the invitation exists')
  t.notOk('token' in seen || 'accept_url' in seen || 'token_hash' in seen, 'but not its token')
  t.notOk(JSON.stringify(list.body).includes(toOwner.token), 'the token appears nowhere in the list')

  for (const guess of [String(toOwner.id), tokenHash(toOwner.token)]) {
    const accepted = await call(app, 'POST', `/api/invitations/${guess}`, { payload: { password: PASSWORD } })
    t.equal(accepted.status, 404, 'neither the id nor the stored hash accepts the invitation')
  }
  const resent = await call(app, 'POST', `/api/invitations/${toOwner.id}/resend`, { headers: manager.headers })
  t.same([resent.status, resent.body], [403, { error: 'Only an OWNER resends an invitation to become OWNER' }], 'the MANAGER cannot get a new token for it')
  const removed = await call(app, 'DELETE', `/api/invitations/${toOwner.id}/remove`, { headers: manager.headers })
  t.equal(removed.status, 403)
  t.equal((await call(app, 'GET', `/api/invitations/${toOwner.token}`)).status, 200, 'the real link still works')
  t.same(rowsOf(app, 'users').filter((user) => (user as Row).role === 'OWNER').length, 2, 'no OWNER was made (one per organization)')
})

t.test('POST /api/invitations/:id/resend: a new token, the old one dead, the expiry restarted', async (t) => {
  const { app, owner, manager, other, invite } = await setup(t)
  const first = await invite(manager.headers, { email: 'mentor@example.com', role: 'MENTOR' })
  app.sqlite.prepare('UPDATE invitations SET expires_at = ? WHERE id = ?').run(new Date(Date.now() - 1000).toISOString(), first.id)
  t.equal((await call(app, 'GET', `/api/invitations/${first.token}`)).status, 410, 'expired')

  const before = Date.now()
  const resent = await call(app, 'POST', `/api/invitations/${first.id}/resend`, { headers: manager.headers })
  t.equal(resent.status, 200)
  t.match(resent.body, { id: first.id, role: 'MENTOR', status: 'PENDING', email_sent: false })
  t.match(resent.body.token, /^[A-Za-z0-9_-]{43}$/)
  t.not(resent.body.token, first.token)
  t.equal(resent.body.accept_url, `https://app.example.org/invitations/${resent.body.token}`)
  t.ok(Date.parse(resent.body.expires_at) - before >= 14 * 24 * 60 * 60 * 1000 - 1000, 'the expiry starts again')
  t.equal((await call(app, 'GET', `/api/invitations/${first.token}`)).status, 404, 'the old token stops working')
  t.equal((await call(app, 'GET', `/api/invitations/${resent.body.token}`)).status, 200, 'the new one works')

  const foreign = await call(app, 'POST', `/api/invitations/${first.id}/resend`, { headers: other.headers })
  t.equal(foreign.status, 404, 'another organization does not see it')
  const byOwner = await call(app, 'POST', `/api/invitations/${first.id}/resend`, { headers: owner.headers })
  t.equal(byOwner.status, 200, 'any staff who may invite the role')

  t.equal((await call(app, 'POST', `/api/invitations/${byOwner.body.token}`, { payload: { password: PASSWORD } })).status, 201)
  const after = rowsOf(app, 'invitations')
  const done = await call(app, 'POST', `/api/invitations/${first.id}/resend`, { headers: owner.headers })
  t.same([done.status, done.body], [409, { error: 'This invitation has been accepted already: there is nothing to resend' }])
  t.same(rowsOf(app, 'invitations'), after, 'a refused resend writes nothing')

  for (const [id, status] of [['abc', 400], ['0', 400], ['999', 404]] as const) {
    t.equal((await call(app, 'POST', `/api/invitations/${id}/resend`, { headers: owner.headers })).status, status, `resend ${id}`)
  }
})

t.test('an acceptance waits on the password work; the link is opened again when it writes', async (t) => {
  const { app, manager, invite } = await setup(t)
  const usersNamed = (email: string) => rowsOf(app, 'users').filter((user) => (user as Row).email === email).length

  // A resend while the new password is being hashed: the acceptance has opened the link (it does
  // so before its first await), the resend's transaction runs at once, then the hash completes.
  const resent = await invite(manager.headers, { email: 'resent@example.com', role: 'MENTEE' })
  const { invitations } = app.domain
  const accepting = invitations.acceptWithPassword(resent.token, { password: PASSWORD })
  const fresh = await invitations.resend(callerOf(manager.user), resent.id, 'https://app.example.org')
  await t.rejects(accepting, { kind: 'not-found', message: 'Invitation not found' }, 'the replaced link')
  t.equal(usersNamed('resent@example.com'), 0, 'nobody was created')
  t.equal((await call(app, 'POST', `/api/invitations/${fresh.token}`, { payload: { password: PASSWORD } })).status, 201, 'the new link works')

  // Two acceptances of one link at once: one user, and the other told it is taken.
  const twice = await invite(manager.headers, { email: 'twice@example.com', role: 'MENTOR' })
  const both = await Promise.all([1, 2].map(() => call(app, 'POST', `/api/invitations/${twice.token}`, { payload: { password: PASSWORD } })))
  t.same(both.map((res) => res.status).sort(), [201, 410])
  t.equal(usersNamed('twice@example.com'), 1)
})
