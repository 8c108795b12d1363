import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import t from 'tap'
import { build } from '../app'
import { ROLES } from '../db/schema'
import { ACCESS_LEVELS, type Access, admits } from '../domain/policy'
import { activeMatch, mentee, mentor, organization } from './fixtures'
import { buildApp, call, createUser, registerOrganization, rowsOf } from './helper'

interface DeclaredRoute { method: string, url: string, access: Access }

/** Every route of the app with the access it declares, as the hook and the API document read it. */
async function declaredRoutes (): Promise<DeclaredRoute[]> {
  const app = build({ config: { DATABASE_PATH: ':memory:' } })
  const routes: DeclaredRoute[] = []
  app.addHook('onRoute', (route) => {
    const access = route.config?.access
    if (access) for (const method of [route.method].flat()) routes.push({ method, url: route.url, access })
  })
  await app.ready()
  await app.close()
  return routes.filter((route) => route.method !== 'HEAD')
}

const TABLES = ['organizations', 'users', 'mentors', 'mentees', 'experiences', 'matches', 'meetings', 'notifications', 'invitations']
const snapshot = (app: Awaited<ReturnType<typeof buildApp>>) => TABLES.map((table) => rowsOf(app, table))
/** A URL of the route with its parameters filled: an id, or an invitation token. */
const concrete = (url: string) => url.replace(':invitation_id', 'a'.repeat(43)).replace(/:\w+/g, '1')

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

t.test('every route declares its access, and the hook enforces it for every role', async (t) => {
  const routes = await declaredRoutes()
  t.ok(routes.length > 50, `${routes.length} routes`)
  const app = await buildApp(t)
  const owner = await registerOrganization(app)
  const org = owner.organization.id
  const callers = {
    ADMINISTRATOR: await createUser(app, null, 'ADMINISTRATOR'),
    OWNER: owner,
    MANAGER: await createUser(app, org, 'MANAGER'),
    MENTOR: await createUser(app, org, 'MENTOR'),
    MENTEE: await createUser(app, org, 'MENTEE'),
    USER: await createUser(app, org, 'USER')
  }
  const before = snapshot(app)
  let cells = 0
  for (const { method, url, access } of routes) {
    const name = `${method} ${url} (${access})`
    cells += 1 + Object.keys(callers).length
    const anonymous = await call(app, method as 'GET', concrete(url))
    if (access === 'public') {
      t.not(anonymous.status, 401, `${name} needs no token`)
      continue
    }
    t.same([anonymous.status, anonymous.body], [401, { error: 'No token provided!' }], `${name} without a token`)
    for (const [role, caller] of Object.entries(callers)) {
      if (admits(access, caller.user)) continue
      const refused = await call(app, method as 'GET', concrete(url), { headers: caller.headers, payload: method === 'GET' || method === 'DELETE' ? undefined : {} })
      t.same([refused.status, refused.body], [403, { error: 'Not authorized' }], `${name} refuses a ${role}`)
    }
  }
  t.same(snapshot(app), before, 'no refused request wrote anything')
  t.comment(`${routes.length} routes x (no token + ${Object.keys(callers).length} roles) = ${cells} cells`)
})

t.test('the API document says of every operation who may call it, from the same declaration', async (t) => {
  const routes = await declaredRoutes()
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

t.test('another organization sees nothing: every route naming a record of it answers 404, no list shows one', async (t) => {
  const routes = await declaredRoutes()
  const app = await buildApp(t)
  const { orgId, owner } = await organization(app)
  const teacher = await mentor(app, orgId)
  const learner = await mentee(app, orgId)
  const match = await activeMatch(app, owner, teacher, learner)
  const meeting = await call(app, 'POST', '/api/meetings', { headers: owner.headers, payload: { match_id: match.id, meeting_date: '2026-09-02T15:00:00Z', location: 'Cafe' } })
  const experience = await call(app, 'POST', '/api/experiences', { headers: teacher.headers, payload: { name: 'SQL' } })
  const invitation = await call(app, 'POST', '/api/invitations', { headers: owner.headers, payload: { email: 'invited@example.com' } })
  const [notification] = (await call(app, 'GET', '/api/notifications', { headers: teacher.headers })).body
  const homeRecord: Record<string, number> = {
    users: teacher.user.id,
    organizations: orgId,
    mentors: teacher.profile.id,
    mentees: learner.profile.id,
    experiences: experience.body.id,
    matches: match.id,
    meetings: meeting.body.id,
    notifications: notification.id,
    invitations: invitation.body.id
  }
  const away = await organization(app)
  const strangers = { 'another OWNER': away.owner, 'another MENTEE': await createUser(app, away.orgId, 'MENTEE') }
  const before = snapshot(app)
  let cells = 0
  for (const { method, url, access } of routes) {
    const resource = /^\/api\/(\w+)\/:(id|invitation)/.exec(url)?.[1]
    const isList = method === 'GET' && /^\/api\/\w+$/.test(url)
    if (access === 'public' || (!resource && !isList)) continue
    for (const [who, stranger] of Object.entries(strangers)) {
      if (!admits(access, stranger.user)) continue
      cells++
      if (resource) {
        const target = url.replace(/:(id|invitation)/, String(homeRecord[resource]))
        const res = await call(app, method as 'GET', target, { headers: stranger.headers, payload: ['GET', 'DELETE'].includes(method) ? undefined : {} })
        t.equal(res.status, 404, `${method} ${url} by ${who}`)
      } else {
        const list = await call(app, 'GET', url, { headers: stranger.headers })
        const resourceOfList = url.split('/')[2]!
        t.notOk((list.body as Array<{ id: number }>).some((row) => row.id === homeRecord[resourceOfList]), `GET ${url} by ${who} shows none of ours`)
      }
    }
  }
  t.same(snapshot(app), before, 'nothing written')
  t.comment(`${cells} cross-organization cells`)
})
