import t from 'tap'
import { buildApp, call, createUser, registerOrganization, rowsOf } from './helper'

async function setup (t: Parameters<typeof buildApp>[0]) {
  const app = await buildApp(t)
  const acme = await registerOrganization(app, { organization_name: 'Acme' })
  const manager = await createUser(app, acme.organization.id, 'MANAGER')
  const mentee = await createUser(app, acme.organization.id, 'MENTEE')
  const globex = await registerOrganization(app, { organization_name: 'Globex' })
  const admin = await createUser(app, null, 'ADMINISTRATOR')
  return { app, acme, manager, mentee, globex, admin }
}

t.test('GET /api/organizations', async (t) => {
  const { app, acme, mentee, admin } = await setup(t)
  const own = await call(app, 'GET', '/api/organizations', { headers: mentee.headers })
  t.equal(own.status, 200)
  t.same(own.body.map((o: { name: string }) => o.name), ['Acme'])
  t.equal(own.headers['x-total-count'], '1')
  t.same(Object.keys(own.body[0]).sort(), ['created_at', 'description', 'id', 'inactive_match_days', 'logo', 'matching_weights', 'name',
    'pending_profile_days', 'request_expiry_days', 'requests_enabled', 'updated_at'])
  t.match(own.body[0], { requests_enabled: true, request_expiry_days: 7, inactive_match_days: 30, pending_profile_days: 7 }, 'the settings start at their defaults')

  const all = await call(app, 'GET', '/api/organizations?limit=1', { headers: admin.headers })
  t.equal(all.headers['x-total-count'], '2')
  t.same(all.body.map((o: { name: string }) => o.name), ['Globex'])
  t.equal((await call(app, 'GET', '/api/organizations')).status, 401)
  t.ok(acme)
})

t.test('POST /api/organizations (ADMINISTRATOR)', async (t) => {
  const { app, acme, admin } = await setup(t)
  const organizations = () => rowsOf(app, 'organizations')

  const before = organizations()
  const refused = await call(app, 'POST', '/api/organizations', { headers: acme.headers, payload: { name: 'Mine' } })
  t.equal(refused.status, 403)
  t.same(organizations(), before)

  for (const [payload, status, error] of [
    [{}, 400, 'name is required'],
    [{ name: '' }, 400, 'name is required'],
    [{ name: 'X', logo: 'not a url' }, 400, 'logo'],
    [{ name: 'X', owner: 1 }, 400, 'owner is not allowed'],
    [{ name: 'Acme' }, 409, 'An organization with this name already exists']
  ] as const) {
    const res = await call(app, 'POST', '/api/organizations', { headers: admin.headers, payload })
    t.equal(res.status, status, JSON.stringify(payload))
    t.match(res.body.error, error)
    t.same(organizations(), before, 'nothing written')
  }

  const created = await call(app, 'POST', '/api/organizations', {
    headers: admin.headers,
    payload: { name: 'Initech', description: 'TPS reports', logo: 'https://example.com/i.png' }
  })
  t.equal(created.status, 201)
  t.match(created.body, { id: Number, name: 'Initech', description: 'TPS reports', logo: 'https://example.com/i.png' })
})

t.test('GET and PUT /api/organizations/:id', async (t) => {
  const { app, acme, manager, mentee, globex, admin } = await setup(t)
  const id = acme.organization.id
  const organizations = () => rowsOf(app, 'organizations')

  t.equal((await call(app, 'GET', `/api/organizations/${id}`, { headers: mentee.headers })).body.name, 'Acme')
  t.equal((await call(app, 'GET', `/api/organizations/${globex.organization.id}`, { headers: mentee.headers })).status, 404)
  t.equal((await call(app, 'GET', '/api/organizations/abc', { headers: mentee.headers })).status, 400)
  t.equal((await call(app, 'GET', `/api/organizations/${globex.organization.id}`, { headers: admin.headers })).status, 200)

  const before = organizations()
  for (const [headers, target, payload, status] of [
    [manager.headers, id, { description: 'x' }, 403],
    [mentee.headers, id, { description: 'x' }, 403],
    [acme.headers, globex.organization.id, { description: 'x' }, 404],
    [acme.headers, id, { name: 'Globex' }, 409],
    [acme.headers, id, { id: 9 }, 400],
    [acme.headers, id, { name: null }, 400],
    [manager.headers, id, { requests_enabled: false }, 403],
    [acme.headers, id, { requests_enabled: 'no' }, 400],
    [acme.headers, id, { request_expiry_days: 0 }, 400],
    [acme.headers, id, { request_expiry_days: 366 }, 400],
    [acme.headers, id, { inactive_match_days: 1.5 }, 400],
    [acme.headers, id, { pending_profile_days: null }, 400]
  ] as const) {
    const res = await call(app, 'PUT', `/api/organizations/${target}`, { headers, payload })
    t.equal(res.status, status, JSON.stringify(payload))
    t.type(res.body.error, 'string')
  }
  t.same(organizations(), before, 'refusals wrote nothing')

  const res = await call(app, 'PUT', `/api/organizations/${id}`, { headers: acme.headers, payload: { description: 'Rockets', logo: null } })
  t.equal(res.status, 200)
  t.match(res.body, { name: 'Acme', description: 'Rockets', logo: null })
  t.equal((await call(app, 'PUT', `/api/organizations/${id}`, { headers: admin.headers, payload: { name: 'Acme Corp' } })).body.name, 'Acme Corp')

  const settings = { requests_enabled: false, request_expiry_days: 1, inactive_match_days: 365, pending_profile_days: 14 }
  const changed = await call(app, 'PUT', `/api/organizations/${id}`, { headers: acme.headers, payload: settings })
  t.equal(changed.status, 200)
  t.match(changed.body, { ...settings, name: 'Acme Corp', description: 'Rockets' }, 'the OWNER sets the program settings; the rest stays')
  t.match((await call(app, 'GET', `/api/organizations/${id}`, { headers: mentee.headers })).body, settings, 'every member reads them')
})

t.test('DELETE /api/organizations/:id/remove erases the organization and everything in it', async (t) => {
  const { app, acme, manager, globex, admin } = await setup(t)
  const id = acme.organization.id
  const count = (table: string) => rowsOf(app, table).length

  const before = [count('organizations'), count('users')]
  t.equal((await call(app, 'DELETE', `/api/organizations/${id}/remove`, { headers: manager.headers })).status, 403)
  t.equal((await call(app, 'DELETE', `/api/organizations/${id}/remove`, { headers: globex.headers })).status, 404)
  t.same([count('organizations'), count('users')], before)

  const res = await call(app, 'DELETE', `/api/organizations/${id}/remove`, { headers: acme.headers })
  t.equal(res.status, 200)
  t.same(res.body, { id, removed: true })
  t.same(rowsOf(app, 'organizations').map((o: any) => o.name), ['Globex'])
  t.notOk(rowsOf(app, 'users').some((u: any) => u.organization_id === id), 'its users went with it')
  t.equal((await call(app, 'GET', '/api/users/current_user', { headers: acme.headers })).status, 401)

  const other = await call(app, 'DELETE', `/api/organizations/${globex.organization.id}/remove`, { headers: admin.headers })
  t.equal(other.status, 200)
  t.equal(count('organizations'), 0)
})
