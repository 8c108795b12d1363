import t from 'tap'
import { tokenHash } from '../../db/tokens'
import { PASSWORD, buildApp, call, createUser, registerOrganization, rowsOf } from '../helper'

type T = Parameters<typeof buildApp>[0]
type Row = Record<string, unknown>

async function setup (t: T, config: Parameters<typeof buildApp>[1] = {}) {
  const app = await buildApp(t, config)
  const owner = await registerOrganization(app)
  const org = owner.organization.id
  const manager = await createUser(app, org, 'MANAGER', { first_name: 'Grace', last_name: 'Hopper' })
  const mentee = await createUser(app, org, 'MENTEE')
  const other = await registerOrganization(app)
  const admin = await createUser(app, null, 'ADMINISTRATOR')
  return { app, owner, manager, mentee, other, admin, org }
}

type Setup = Awaited<ReturnType<typeof setup>>

async function invite (app: Setup['app'], headers: Record<string, string>, payload: Record<string, unknown>) {
  const res = await call(app, 'POST', '/api/invitations', { headers, payload })
  if (res.status !== 201) throw new Error(`invite failed: ${res.status} ${JSON.stringify(res.body)}`)
  return res.body as { id: number, token: string, email: string, accept_url: string, [key: string]: unknown }
}

/** Moves an invitation's clock: its expiry is rewritten into the past. */
function expire (app: Setup['app'], id: number) {
  app.sqlite.prepare('UPDATE invitations SET expires_at = ? WHERE id = ?').run(new Date(Date.now() - 1000).toISOString(), id)
}

const DAY_MS = 24 * 60 * 60 * 1000

t.test('POST /api/invitations', async (t) => {
  const { app, owner, manager, mentee, other, admin, org } = await setup(t, { APP_URL: 'https://app.example.org/' })

  t.test('staff invite: 201 with an unguessable token, MENTEE by default, 14 days, accept_url from APP_URL', async (t) => {
    const before = Date.now()
    const res = await call(app, 'POST', '/api/invitations', {
      headers: manager.headers,
      payload: { email: '  Ada@Example.COM ', name: 'Ada Lovelace' }
    })
    t.equal(res.status, 201)
    const body = res.body
    t.type(body.id, 'number', 'the id is a plain reference')
    t.match(body.token, /^[A-Za-z0-9_-]{43}$/, 'the token: 32 random bytes, base64url')
    t.equal(body.organization_id, org)
    t.equal(body.email, 'ada@example.com')
    t.equal(body.name, 'Ada Lovelace')
    t.equal(body.role, 'MENTEE')
    t.equal(body.invited_by, manager.user.id)
    t.equal(body.status, 'PENDING')
    t.equal(body.accepted_at, null)
    t.equal(body.accept_url, `https://app.example.org/invitations/${body.token}`)
    t.equal(body.email_sent, false, 'no SMTP: no email')
    t.notOk('email_error' in body)
    const lifetime = Date.parse(body.expires_at) - before
    t.ok(lifetime >= 14 * DAY_MS && lifetime < 14 * DAY_MS + 60_000, '14 days')
    const stored = rowsOf(app, 'invitations') as Row[]
    t.same(stored.map((row) => [row.id, row.token_hash]), [[body.id, tokenHash(body.token)]], 'the token is kept only as its hash')
    t.notOk(JSON.stringify(stored).includes(body.token), 'the token itself is stored nowhere')
  })

  t.test('two invitations never share a token', async (t) => {
    const a = await invite(app, owner.headers, { email: 'twin1@example.com' })
    const b = await invite(app, owner.headers, { email: 'twin2@example.com' })
    t.not(a.id, b.id)
    t.not(a.token, b.token)
  })

  t.test('an OWNER may invite an OWNER; a MANAGER may not (403, nothing written)', async (t) => {
    const before = rowsOf(app, 'invitations')
    const refused = await call(app, 'POST', '/api/invitations', { headers: manager.headers, payload: { email: 'boss@example.com', role: 'OWNER' } })
    t.equal(refused.status, 403)
    t.same(refused.body, { error: 'A MANAGER cannot invite an OWNER' })
    t.same(rowsOf(app, 'invitations'), before)
    const managerInvite = await invite(app, manager.headers, { email: 'manager2@example.com', role: 'MANAGER' })
    t.equal(managerInvite.role, 'MANAGER')
    const ownerInvite = await invite(app, owner.headers, { email: 'boss@example.com', role: 'OWNER' })
    t.equal(ownerInvite.role, 'OWNER')
  })

  t.test('mentees and mentors cannot invite: 403', async (t) => {
    const before = rowsOf(app, 'invitations')
    const res = await call(app, 'POST', '/api/invitations', { headers: mentee.headers, payload: { email: 'friend@example.com' } })
    t.equal(res.status, 403)
    t.same(res.body, { error: 'Not authorized' })
    t.same(rowsOf(app, 'invitations'), before)
  })

  t.test('no token: 401', async (t) => {
    const res = await call(app, 'POST', '/api/invitations', { payload: { email: 'x@example.com' } })
    t.equal(res.status, 401)
    t.same(res.body, { error: 'No token provided!' })
  })

  t.test('an email already registered (in any organization): 409, nothing written', async (t) => {
    const before = rowsOf(app, 'invitations')
    for (const email of [mentee.user.email, other.user.email.toUpperCase()]) {
      const res = await call(app, 'POST', '/api/invitations', { headers: owner.headers, payload: { email } })
      t.equal(res.status, 409, email)
      t.same(res.body, { error: 'A user with this email is already registered: sign in instead' })
    }
    t.same(rowsOf(app, 'invitations'), before)
  })

  t.test('a second PENDING invitation for one email in one organization: 409; once expired, a new one is fine', async (t) => {
    const first = await invite(app, owner.headers, { email: 'again@example.com' })
    const before = rowsOf(app, 'invitations')
    const res = await call(app, 'POST', '/api/invitations', { headers: manager.headers, payload: { email: 'again@example.com', role: 'MENTOR' } })
    t.equal(res.status, 409)
    t.same(res.body, { error: 'This email already has a pending invitation to the organization: remove it first to invite again' })
    t.same(rowsOf(app, 'invitations'), before)

    const elsewhere = await invite(app, other.headers, { email: 'again@example.com' })
    t.equal(elsewhere.organization_id, other.organization.id, 'another organization may invite the same person')

    expire(app, first.id)
    const renewed = await invite(app, owner.headers, { email: 'again@example.com' })
    t.not(renewed.id, first.id)
  })

  t.test('bad bodies: 400 naming the field, nothing written', async (t) => {
    const before = rowsOf(app, 'invitations')
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{}, 'email', 'is required'],
      [{ email: 'not-an-email' }, 'email', 'must match format "email"'],
      [{ email: 'x@example.com', role: 'ADMINISTRATOR' }, 'role', 'must be one of OWNER, MANAGER, MENTOR, MENTEE, USER'],
      [{ email: 'x@example.com', role: 'KING' }, 'role', 'must be one of OWNER, MANAGER, MENTOR, MENTEE, USER'],
      [{ email: 'x@example.com', token: 'abc' }, 'token', 'is not allowed'],
      [{ email: 'x@example.com', name: 5 }, 'name', 'must be string or null']
    ]
    for (const [payload, field, message] of cases) {
      const res = await call(app, 'POST', '/api/invitations', { headers: owner.headers, payload })
      t.equal(res.status, 400, JSON.stringify(payload))
      t.ok(res.body.details.some((d: { field: string, message: string }) => d.field === field && d.message === message), `${field} ${message}: ${JSON.stringify(res.body.details)}`)
    }
    t.same(rowsOf(app, 'invitations'), before)
  })

  t.test('staff invite only to their own organization; the ADMINISTRATOR names one', async (t) => {
    const before = rowsOf(app, 'invitations')
    const foreign = await call(app, 'POST', '/api/invitations', { headers: owner.headers, payload: { email: 'x@example.com', organization_id: other.organization.id } })
    t.equal(foreign.status, 403)
    t.same(foreign.body, { error: 'You can invite people only to your own organization' })
    const unnamed = await call(app, 'POST', '/api/invitations', { headers: admin.headers, payload: { email: 'x@example.com' } })
    t.equal(unnamed.status, 400)
    t.same(unnamed.body, { error: 'organization_id is required: name the organization to invite to' })
    const unknown = await call(app, 'POST', '/api/invitations', { headers: admin.headers, payload: { email: 'x@example.com', organization_id: 999 } })
    t.equal(unknown.status, 400)
    t.same(unknown.body, { error: 'organization_id names no organization' })
    t.same(rowsOf(app, 'invitations'), before)

    const own = await invite(app, owner.headers, { email: 'own@example.com', organization_id: org })
    t.equal(own.organization_id, org)
    const first = await invite(app, admin.headers, { email: 'founder@example.com', role: 'OWNER', organization_id: other.organization.id })
    t.equal(first.organization_id, other.organization.id)
    t.equal(first.invited_by, admin.user.id)
  })
})

t.test("without APP_URL, accept_url is this server's own invitation page; INVITATION_TTL_DAYS sets the lifetime", async (t) => {
  const { app, owner } = await setup(t, { INVITATION_TTL_DAYS: 2 })
  const before = Date.now()
  const invitation = await invite(app, owner.headers, { email: 'short@example.com' })
  t.equal(invitation.accept_url, `http://localhost:80/invitations/${invitation.token}`)
  const page = await app.inject({ url: new URL(invitation.accept_url).pathname })
  t.equal(page.statusCode, 200, 'the link works')
  t.match(page.body, 'short@example.com', 'and shows the invitation')
  const lifetime = Date.parse(invitation.expires_at as string) - before
  t.ok(lifetime >= 2 * DAY_MS && lifetime < 2 * DAY_MS + 60_000, '2 days')
})

t.test('GET /api/invitations (staff)', async (t) => {
  const { app, owner, manager, mentee, other, admin } = await setup(t)
  const pending = await invite(app, owner.headers, { email: 'p@example.com' })
  const expired = await invite(app, owner.headers, { email: 'e@example.com' })
  const accepted = await invite(app, manager.headers, { email: 'a@example.com', role: 'MENTOR' })
  const foreign = await invite(app, other.headers, { email: 'f@example.com' })
  expire(app, expired.id)
  t.equal((await call(app, 'POST', `/api/invitations/${accepted.token}`, { payload: { password: PASSWORD } })).status, 201)

  t.test("the organization's own, newest first, with statuses computed and X-Total-Count", async (t) => {
    const res = await call(app, 'GET', '/api/invitations', { headers: manager.headers })
    t.equal(res.status, 200)
    t.equal(res.headers['x-total-count'], '3')
    t.same(res.body.map((i: Row) => [i.id, i.status]), [[accepted.id, 'ACCEPTED'], [expired.id, 'EXPIRED'], [pending.id, 'PENDING']])
    t.match(res.body[0].accepted_at, /^\d{4}-\d\d-\d\dT/)
  })

  t.test('limit, offset and ?status=', async (t) => {
    const page = await call(app, 'GET', '/api/invitations?limit=1&offset=1', { headers: owner.headers })
    t.same(page.body.map((i: Row) => i.id), [expired.id])
    t.equal(page.headers['x-total-count'], '3')
    for (const [status, id] of [['PENDING', pending.id], ['EXPIRED', expired.id], ['ACCEPTED', accepted.id]] as const) {
      const res = await call(app, 'GET', `/api/invitations?status=${status}`, { headers: owner.headers })
      t.same(res.body.map((i: Row) => i.id), [id], status)
      t.equal(res.headers['x-total-count'], '1')
    }
    const bad = await call(app, 'GET', '/api/invitations?status=LOST', { headers: owner.headers })
    t.equal(bad.status, 400)
    t.match(bad.body.error, /in the querystring: status must be one of PENDING, ACCEPTED, EXPIRED/)
  })

  t.test('the ADMINISTRATOR sees every organization', async (t) => {
    const res = await call(app, 'GET', '/api/invitations', { headers: admin.headers })
    t.equal(res.headers['x-total-count'], '4')
    t.ok(res.body.some((i: Row) => i.id === foreign.id))
  })

  t.test('not staff: 403', async (t) => {
    const res = await call(app, 'GET', '/api/invitations', { headers: mentee.headers })
    t.equal(res.status, 403)
    t.same(res.body, { error: 'Not authorized' })
  })
})

t.test('GET /api/invitations/:invitation_id (no token)', async (t) => {
  const { app, owner } = await setup(t)
  const invitation = await invite(app, owner.headers, { email: 'preview@example.com', name: 'Pre View', role: 'MENTOR' })

  t.test('what the invitee needs to decide', async (t) => {
    const res = await call(app, 'GET', `/api/invitations/${invitation.token}`)
    t.equal(res.status, 200)
    t.same(res.body, {
      email: 'preview@example.com',
      name: 'Pre View',
      role: 'MENTOR',
      status: 'PENDING',
      expires_at: invitation.expires_at,
      organization: { id: owner.organization.id, name: owner.organization.name, logo: null }
    })
  })

  t.test('unknown, or a guessed numeric id: 404', async (t) => {
    for (const id of ['AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', '1', String(invitation.id), invitation.token.slice(0, -1)]) {
      const res = await call(app, 'GET', `/api/invitations/${id}`)
      t.equal(res.status, 404, id)
      t.same(res.body, { error: 'Invitation not found' })
    }
  })

  t.test('expired: 410', async (t) => {
    const soon = await invite(app, owner.headers, { email: 'soon@example.com' })
    expire(app, soon.id)
    const res = await call(app, 'GET', `/api/invitations/${soon.token}`)
    t.equal(res.status, 410)
    t.same(res.body, { error: 'This invitation has expired: ask the organization for a new one' })
  })
})

t.test('POST /api/invitations/:invitation_id: accept with a password', async (t) => {
  const { app, owner, manager, other } = await setup(t, { AUTH_RATE_LIMIT: 1000 })

  t.test('creates the user in the organization with the role, marks the invitation ACCEPTED, signs in', async (t) => {
    const invitation = await invite(app, manager.headers, { email: 'new@example.com', name: 'Ada King Lovelace', role: 'MENTOR' })
    const usersBefore = rowsOf(app, 'users').length
    const res = await call(app, 'POST', `/api/invitations/${invitation.token}`, { payload: { password: PASSWORD } })
    t.equal(res.status, 201)
    t.match(res.body.user, {
      email: 'new@example.com',
      role: 'MENTOR',
      organization_id: owner.organization.id,
      first_name: 'Ada',
      last_name: 'King Lovelace',
      github_login: null
    })
    t.notOk('password_hash' in res.body.user)
    t.equal(rowsOf(app, 'users').length, usersBefore + 1)
    const stored = rowsOf(app, 'invitations').find((row) => (row as Row).id === invitation.id) as Row
    t.equal(stored.status, 'ACCEPTED')
    t.match(stored.accepted_at, /^\d{4}-/)

    const me = await call(app, 'GET', '/api/users/current_user', { headers: { authorization: `Bearer ${res.body.token}` } })
    t.equal(me.body.id, res.body.user.id, 'the token signs the new user in')
    const login = await call(app, 'POST', '/api/auth/login', { payload: { email: 'new@example.com', password: PASSWORD } })
    t.equal(login.status, 200, 'the password works for login')

    t.test('a second acceptance: 410, nothing written', async (t) => {
      const users = rowsOf(app, 'users')
      const again = await call(app, 'POST', `/api/invitations/${invitation.token}`, { payload: { password: PASSWORD, email: 'new@example.com' } })
      t.equal(again.status, 410)
      t.same(again.body, { error: 'This invitation has already been accepted: sign in instead' })
      t.same(rowsOf(app, 'users'), users)
      const preview = await call(app, 'GET', `/api/invitations/${invitation.token}`)
      t.equal(preview.status, 410)
      t.same(preview.body, { error: 'This invitation has already been accepted: sign in instead' })
    })
  })

  t.test('names in the body win over the invitation name; a matching email is accepted', async (t) => {
    const invitation = await invite(app, owner.headers, { email: 'named@example.com', name: 'Someone Else' })
    const res = await call(app, 'POST', `/api/invitations/${invitation.token}`, {
      payload: { password: PASSWORD, first_name: 'Grace', email: 'NAMED@example.com' }
    })
    t.equal(res.status, 201)
    t.match(res.body.user, { first_name: 'Grace', last_name: null, role: 'MENTEE' })
  })

  t.test('two acceptances at once: one user, one 410', async (t) => {
    const invitation = await invite(app, owner.headers, { email: 'race@example.com' })
    const usersBefore = rowsOf(app, 'users').length
    const answers = await Promise.all([0, 1].map(() =>
      call(app, 'POST', `/api/invitations/${invitation.token}`, { payload: { password: PASSWORD } })))
    t.same(answers.map((a) => a.status).sort(), [201, 410])
    t.equal(rowsOf(app, 'users').length, usersBefore + 1)
  })

  t.test('refusals write nothing', async (t) => {
    const expired = await invite(app, owner.headers, { email: 'late@example.com' })
    expire(app, expired.id)
    const taken = await invite(app, owner.headers, { email: 'taken@example.com' })
    await createUser(app, other.organization.id, 'MENTEE', { email: 'taken@example.com' })
    const open = await invite(app, owner.headers, { email: 'open@example.com' })

    const cases: Array<[string, Record<string, unknown>, number, string]> = [
      [expired.token, { password: PASSWORD }, 410, 'This invitation has expired: ask the organization for a new one'],
      ['does-not-exist', { password: PASSWORD }, 404, 'Invitation not found'],
      ['7', { password: PASSWORD }, 404, 'Invitation not found'],
      [open.token, { password: PASSWORD, email: 'someone@example.com' }, 403, 'This invitation is for another email address'],
      [taken.token, { password: PASSWORD }, 409, 'A user with this email is already registered: sign in instead']
    ]
    for (const [id, payload, status, error] of cases) {
      const before = { users: rowsOf(app, 'users'), invitations: rowsOf(app, 'invitations') }
      const res = await call(app, 'POST', `/api/invitations/${id}`, { payload })
      t.equal(res.status, status, error)
      t.same(res.body, { error })
      t.same({ users: rowsOf(app, 'users'), invitations: rowsOf(app, 'invitations') }, before)
    }
  })

  t.test('bad bodies: 400 naming the field', async (t) => {
    const invitation = await invite(app, owner.headers, { email: 'body@example.com' })
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{}, 'password', 'is required'],
      [{ password: 'short' }, 'password', 'must NOT have fewer than 8 characters'],
      [{ password: PASSWORD, role: 'OWNER' }, 'role', 'is not allowed'],
      [{ password: PASSWORD, email: 'nope' }, 'email', 'must match format "email"']
    ]
    for (const [payload, field, message] of cases) {
      const before = rowsOf(app, 'users')
      const res = await call(app, 'POST', `/api/invitations/${invitation.token}`, { payload })
      t.equal(res.status, 400, JSON.stringify(payload))
      t.same(res.body.details.find((d: { field: string }) => d.field === field), { field, message })
      t.same(rowsOf(app, 'users'), before)
    }
    t.equal((await call(app, 'GET', `/api/invitations/${invitation.token}`)).status, 200, 'still open')
  })
})

t.test('acceptance is rate limited like login', async (t) => {
  const { app, owner } = await setup(t, { AUTH_RATE_LIMIT: 2 })
  const invitation = await invite(app, owner.headers, { email: 'limited@example.com' })
  const statuses = []
  for (let i = 0; i < 3; i++) {
    // From an address of its own: setup's registrations spent the budget of 127.0.0.1.
    statuses.push((await call(app, 'POST', `/api/invitations/${invitation.token}`, { payload: { password: 'x' }, remoteAddress: '127.0.0.9' })).status)
  }
  t.same(statuses, [400, 400, 429])
})

t.test('DELETE /api/invitations/:invitation_id/remove (staff)', async (t) => {
  const { app, owner, manager, mentee, other } = await setup(t)
  const invitation = await invite(app, manager.headers, { email: 'gone@example.com' })
  const toOwner = await invite(app, owner.headers, { email: 'owner2@example.com', role: 'OWNER' })
  const foreign = await invite(app, other.headers, { email: 'theirs@example.com' })

  t.test("another organization's invitation is invisible: 404 for GET-list, remove; nothing written", async (t) => {
    const before = rowsOf(app, 'invitations')
    const res = await call(app, 'DELETE', `/api/invitations/${foreign.id}/remove`, { headers: owner.headers })
    t.equal(res.status, 404)
    t.same(res.body, { error: 'Invitation not found' })
    const list = await call(app, 'GET', '/api/invitations', { headers: owner.headers })
    t.notOk(list.body.some((i: Row) => i.id === foreign.id))
    t.same(rowsOf(app, 'invitations'), before)
  })

  t.test('not staff: 403; a MANAGER cannot revoke an invitation to become OWNER: 403', async (t) => {
    const before = rowsOf(app, 'invitations')
    const byMentee = await call(app, 'DELETE', `/api/invitations/${invitation.id}/remove`, { headers: mentee.headers })
    t.equal(byMentee.status, 403)
    t.same(byMentee.body, { error: 'Not authorized' })
    const byManager = await call(app, 'DELETE', `/api/invitations/${toOwner.id}/remove`, { headers: manager.headers })
    t.equal(byManager.status, 403)
    t.same(byManager.body, { error: 'Only an OWNER revokes an invitation to become OWNER' })
    t.same(rowsOf(app, 'invitations'), before)
  })

  t.test('staff erase it: the link stops working', async (t) => {
    const res = await call(app, 'DELETE', `/api/invitations/${invitation.id}/remove`, { headers: manager.headers })
    t.equal(res.status, 200)
    t.same(res.body, { id: invitation.id, removed: true })
    t.equal((await call(app, 'GET', `/api/invitations/${invitation.token}`)).status, 404)
    const accept = await call(app, 'POST', `/api/invitations/${invitation.token}`, { payload: { password: PASSWORD } })
    t.equal(accept.status, 404)
    const again = await call(app, 'DELETE', `/api/invitations/${invitation.id}/remove`, { headers: manager.headers })
    t.equal(again.status, 404)
    const byOwner = await call(app, 'DELETE', `/api/invitations/${toOwner.id}/remove`, { headers: owner.headers })
    t.equal(byOwner.status, 200)
  })
})

t.test('without GITHUB_CLIENT_ID the invitation GitHub route answers 503', async (t) => {
  const { app, owner } = await setup(t)
  const invitation = await invite(app, owner.headers, { email: 'gh@example.com' })
  const res = await call(app, 'GET', `/api/invitations/${invitation.token}/github`)
  t.equal(res.status, 503)
  t.same(res.body, { error: 'Sign-in with GitHub is not configured on this server (GITHUB_CLIENT_ID is unset)' })
})
