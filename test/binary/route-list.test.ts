import { join } from 'node:path'
import t from 'tap'
import type { AppOptions } from '../../app'
import { routeTable } from '../../commands/context'
import type { RouteFolder } from '../../plugins/route-list'
import { findRouteFolders } from '../../scripts/route-folders'
import { buildApp, call } from '../helper'

const ROUTES = join(__dirname, '..', '..', 'routes')

/** What the build bundles, loaded here with require instead of esbuild. */
const routeFolders: RouteFolder[] = findRouteFolders(ROUTES).map((folder) => {
  const load = (file: string) => (require(file) as { default: RouteFolder['routes'] }).default
  return { prefix: folder.prefix, hooks: folder.hooks.map(load), routes: load(folder.routes) }
})

const MEMORY: AppOptions = { config: { DATABASE_PATH: ':memory:' } }

t.test('the route folders follow autoload\'s rules', async (t) => {
  const folders = findRouteFolders(ROUTES)
  const relative = (file: string) => file.slice(ROUTES.length + 1)
  const byPrefix = new Map(folders.map((folder) => [folder.prefix, folder]))
  t.equal(relative(byPrefix.get('/health')!.routes), 'health/index.ts')
  t.same(byPrefix.get('/health')!.hooks, [], 'hooks of routes/api do not reach /health')
  t.same(byPrefix.get('/api/users/:id')!.hooks.map(relative), ['api/autohooks.ts'], 'autohooks cascade to the folders below')
  t.equal(relative(byPrefix.get('/api/users/:id/remove')!.routes), 'api/users/_id/remove/index.ts', '_id becomes :id')
  t.ok(folders.every((folder) => folder.routes.endsWith('index.ts')), 'only index.ts files are route plugins')
  t.notOk(folders.some((folder) => /schemas|rules/.test(folder.routes)), 'shared modules beside the routes are not routes')
})

t.test('the generated route list serves exactly the route table of autoload', async (t) => {
  const autoloaded = await routeTable(MEMORY)
  const listed = await routeTable({ ...MEMORY, routes: routeFolders })
  t.ok(autoloaded.length > 50, `${autoloaded.length} routes`)
  t.same(listed, autoloaded)
})

t.test('with the route list, the hooks apply as with autoload: same answers without a token', async (t) => {
  const autoloaded = await buildApp(t)
  const listed = await buildApp(t, {}, { routes: routeFolders })
  const table = await routeTable(MEMORY)
  let compared = 0
  for (const route of table) {
    const [method, url] = route.split(' ') as [string, string]
    if (method === 'OPTIONS' || url.includes('*')) continue
    const concrete = url.replace(/:\w+/g, '1')
    const answer = async (app: typeof listed) => {
      const response = await app.inject({ method: method as 'GET', url: concrete })
      return { route, status: response.statusCode, body: response.payload }
    }
    t.same(await answer(listed), await answer(autoloaded))
    compared++
  }
  t.ok(compared > 50)
  t.equal((await call(listed, 'GET', '/api/users')).status, 401, 'routes/api/autohooks.ts applies below /api')
  t.equal((await call(listed, 'GET', '/api')).status, 200, 'a public route stays public')
})
