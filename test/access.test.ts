import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import t from 'tap'
import { build } from '../app'
import { ROLES } from '../db/schema'
import { ACCESS_LEVELS, type Access, admits } from '../domain/policy'
import { activeMatch, mentee, mentor, organization } from './fixtures'
import { apiRoutes, buildApp, call, createUser, declaredRoutes, rowsOf } from './helper'

const TABLES = ['organizations', 'users', 'mentors', 'mentees', 'experiences', 'matches', 'meetings', 'notifications', 'invitations']
const snapshot = (app: Awaited<ReturnType<typeof buildApp>>) => TABLES.map((table) => rowsOf(app, table))

t.test('the access levels are nested: whoever a level admits, every lower level admits too', async (t) => {
  const levels = ACCESS_LEVELS.filter((level): level is Exclude<Access, 'public'> => level !== 'public')
  t.doesNotThrow(() => fc.assert(fc.property(fc.constantFrom(...ROLES), fc.nat(levels.length - 2), (role, index) => {
    const user = { role } as Parameters<typeof admits>[1]
    return !admits(levels[index + 1]!, user) || admits(levels[index]!, user)
  })), 'administrator within owner within staff within member')
  t.same(ROLES.filter((role) => admits('staff', { role } as Parameters<typeof admits>[1])), ['ADMINISTRATOR', 'OWNER', 'MANAGER'])
})

t.test('a route that does not say who may call it stops the start', async (t) => {
  const app = build({ config: { DATABASE_PATH: ':memory:' } })
  t.teardown(() => app.close())
  app.register(async (scope) => { scope.get('/forgotten', async () => ({})) })
  await t.rejects(async () => { await app.ready() }, /GET \/forgotten does not say who may call it: set config\.access to one of public, member, staff, owner, administrator/)
})

t.test('the API document says of every operation who may call it, from the same declaration', async (t) => {
  const routes = await apiRoutes()
  const app = await buildApp(t)
  const document = (await app.inject({ url: '/docs/json' })).json() as { paths: Record<string, Record<string, { 'x-access'?: string, security?: unknown[], description?: string }>> }
  for (const { method, url, access } of routes) {
    const path = url.replace(/:(\w+)/g, '{$1}')
    const operation = document.paths[path]?.[method.toLowerCase()]
    t.equal(operation?.['x-access'], access, `${method} ${url}`)
    t.equal((operation?.security ?? []).length > 0, access !== 'public', `${method} ${url} asks for the token unless public`)
    t.match(operation?.description, /Who may call it: /)
  }
})

t.test('docs/api.md lists every route with the access it declares', async (t) => {
  const documented = new Map([...readFileSync(join(__dirname, '..', 'docs', 'api.md'), 'utf8').matchAll(/^\| `(\w+ \S+)` \| (\w+) \|/gm)]
    .map(([, route, access]) => [route!, access!]))
  const routes = await declaredRoutes()
  t.same(Object.fromEntries(documented), Object.fromEntries(routes.map(({ method, url, access }) => [`${method} ${url}`, access])))
})

t.test('another organization sees nothing of ours in any list (records by id: test/security/matrix.test.ts)', async (t) => {
  const routes = await declaredRoutes()
  const app = await buildApp(t)
  const { orgId, owner } = await organization(app)
  const teacher = await mentor(app, orgId)
  const learner = await mentee(app, orgId)
  await activeMatch(app, owner, teacher, learner)
  await call(app, 'POST', '/api/experiences', { headers: teacher.headers, payload: { name: 'SQL' } })
  await call(app, 'POST', '/api/invitations', { headers: owner.headers, payload: { email: 'invited@example.com' } })
  const ours = new Set(snapshot(app).flat().map((row) => JSON.stringify(row)))
  const away = await organization(app)
  const strangers = { 'another OWNER': away.owner, 'another MENTEE': await createUser(app, away.orgId, 'MENTEE') }
  let lists = 0
  for (const { method, url, access, query } of routes) {
    if (method !== 'GET' || !/^\/api\/\w+$/.test(url) || access === 'public') continue
    const everything = new URLSearchParams(Object.entries({ limit: '200', include_deleted: 'true' }).filter(([name]) => query.includes(name)))
    for (const [who, stranger] of Object.entries(strangers)) {
      if (!admits(access, stranger.user)) continue
      lists++
      const list = await call(app, 'GET', `${url}?${everything}`, { headers: stranger.headers })
      const home = (list.body as Array<{ organization_id?: number, id: number }>).filter((row) => row.organization_id === orgId || (url === '/api/organizations' && row.id === orgId))
      t.same(home, [], `GET ${url} by ${who} shows none of ours`)
    }
  }
  t.ok(ours.size > 0 && lists > 10, `${lists} lists read by strangers`)
})
