import t from 'tap'
import { buildApp, call, createUser, PASSWORD, registerOrganization, rowsOf } from '../helper'

// One regression test per hole found by trying the API as an attacker would; each failed before its fix.

type Row = Record<string, unknown>

t.test('hole 2, account hijack through GitHub: only the person changes their own email, with their password', async (t) => {
  const app = await buildApp(t)
  const owner = await registerOrganization(app)
  const manager = await createUser(app, owner.organization.id, 'MANAGER')
  const colleague = await createUser(app, owner.organization.id, 'MENTOR')
  const put = (id: number, headers: Record<string, string>, payload: object) => call(app, 'PUT', `/api/users/${id}`, { headers, payload })

  const before = rowsOf(app, 'users')
  for (const staff of [manager, owner]) {
    const res = await put(colleague.user.id, staff.headers, { email: 'attacker@example.com' })
    t.same([res.status, res.body], [403, { error: 'Only the user themself changes their email' }], `${staff.user.role} is refused`)
  }
  t.same(rowsOf(app, 'users'), before, 'nothing written')
  t.equal((await put(colleague.user.id, manager.headers, { email: colleague.user.email, city: 'Porto' })).status, 200,
    'staff still edit the rest, and sending the same email changes nothing')

  const self = (payload: object) => put(colleague.user.id, colleague.headers, payload)
  t.same((await self({ email: 'me@example.com' })).body, { error: 'current_password is required to change the email' })
  t.same((await self({ email: 'me@example.com', current_password: 'not my password' })).body, { error: 'current_password is wrong' })
  const changed = await self({ email: 'Me@Example.com', current_password: PASSWORD })
  t.same([changed.status, changed.body.email], [200, 'me@example.com'])
  const login = await call(app, 'POST', '/api/auth/login', { payload: { email: 'me@example.com', password: PASSWORD } })
  t.equal(login.status, 200, 'the new email signs in')
})

t.test('hole 3, an organization left without an OWNER: two OWNERs leaving at once, one wins (6 rounds)', async (t) => {
  const app = await buildApp(t)
  for (let round = 0; round < 6; round++) {
    const first = await registerOrganization(app)
    const second = await createUser(app, first.organization.id, 'OWNER')
    // A password change makes each request wait for scrypt between its checks and its write.
    const leave = (who: typeof second) => call(app, 'PUT', `/api/users/${who.user.id}`, {
      headers: who.headers, payload: { deleted: true, password: `another password ${round}`, current_password: PASSWORD }
    })
    const answers = await Promise.all([leave(first), leave(second)])
    t.same(answers.map((answer) => answer.status).sort(), [200, 409], `round ${round}: one leaves, the other is refused`)
    const owners = (rowsOf(app, 'users') as Row[])
      .filter((user) => user.organization_id === first.organization.id && user.role === 'OWNER' && user.deleted === 0)
    t.equal(owners.length, 1, `round ${round}: the organization keeps an OWNER`)
  }
})
