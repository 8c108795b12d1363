import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import fastifyAutoload from '@fastify/autoload'
import Fastify, { type FastifyInstance } from 'fastify'
import t from 'tap'
import type { AppOptions } from '../../app'
import { routeTable } from '../../commands/context'
import routeList, { type RouteFolder } from '../../plugins/route-list'
import { findRouteFolders } from '../../scripts/route-folders'
import { temporaryFolder } from '../cli/process'
import { buildApp, call } from '../helper'

const ROUTES = join(__dirname, '..', '..', 'routes')

/** What the build bundles, loaded here with require instead of esbuild. */
const routeFolders: RouteFolder[] = findRouteFolders(ROUTES).map((folder) =>
  ({ prefix: folder.prefix, routes: (require(folder.routes) as { default: RouteFolder['routes'] }).default }))

const MEMORY: AppOptions = { config: { DATABASE_PATH: ':memory:' } }

t.test('the route folders follow autoload\'s rules', async (t) => {
  const folders = findRouteFolders(ROUTES)
  const relative = (file: string) => file.slice(ROUTES.length + 1)
  const byPrefix = new Map(folders.map((folder) => [folder.prefix, folder]))
  t.equal(relative(byPrefix.get('/health')!.routes), 'health/index.ts')
  t.equal(relative(byPrefix.get('/api/users/:id/remove')!.routes), 'api/users/_id/remove/index.ts', '_id becomes :id')
  t.ok(folders.every((folder) => folder.routes.endsWith('index.ts')), 'routes/ holds route files only: one index.ts per folder')
})

t.test('autoload\'s rules on a tree with every case: the same routes', async (t) => {
  const route = (name: string) => `module.exports = async (fastify) => { fastify.get('/', async () => ({ route: '${name}' })) }`
  const files: Record<string, string> = {
    'index.js': route('root'),
    'helper.js': route('not a route: its folder has an index file'),
    'a/index.js': route('a'),
    'a/_id/index.js': route('a/_id'),
    'a/_id/deep/index.js': route('a/_id/deep'),
    'b/only.js': route('b: a folder without an index registers its files'),
    'b/c__d/index.js': route('b/c__d'),
    'e/index.js': route('e'),
    'e/f/index.js': route('e/f'),
    'g/h/index.js': route('g/h')
  }
  const dir = temporaryFolder(t, 'routes')
  for (const [file, source] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true })
    writeFileSync(join(dir, file), source)
  }
  const folders: RouteFolder[] = findRouteFolders(dir).map((folder) => ({ prefix: folder.prefix, routes: require(folder.routes) }))
  t.same(folders.map((folder) => folder.prefix), ['', '/a', '/a/:id', '/a/:id/deep', '/b', '/b/c:d', '/e', '/e/f', '/g/h'])

  const serve = async (register: (fastify: FastifyInstance) => void) => {
    const fastify = Fastify()
    t.teardown(() => fastify.close())
    register(fastify)
    await fastify.ready()
    const answers: Record<string, unknown> = {}
    for (const url of ['/', '/a', '/a/7', '/a/7/deep', '/b', '/b/c7', '/e', '/e/f', '/g/h', '/helper']) {
      const response = await fastify.inject({ url })
      answers[url] = { status: response.statusCode, body: response.payload }
    }
    return answers
  }
  const autoloaded = await serve((fastify) => fastify.register(fastifyAutoload, { dir, routeParams: true }))
  t.match(autoloaded, {
    '/a/7/deep': { status: 200, body: '{"route":"a/_id/deep"}' },
    '/b': { status: 200, body: '{"route":"b: a folder without an index registers its files"}' },
    '/b/c7': { status: 200, body: '{"route":"b/c__d"}' },
    '/helper': { status: 404 }
  }, 'the fixture exercises the rules')
  t.same(await serve((fastify) => fastify.register(routeList, { folders })), autoloaded)
})

t.test('the generated route list serves exactly the route table of autoload', async (t) => {
  const autoloaded = await routeTable(MEMORY)
  const listed = await routeTable({ ...MEMORY, routes: routeFolders })
  t.ok(autoloaded.length > 50, `${autoloaded.length} routes`)
  t.same(listed, autoloaded)
})

t.test('with the route list, every route answers as with autoload: same answers without a token', async (t) => {
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
      // A page's forms carry a fresh CSRF token on every rendering.
      return { route, status: response.statusCode, body: response.payload.replace(/name="_csrf" value="[^"]*"/g, 'name="_csrf"') }
    }
    t.same(await answer(listed), await answer(autoloaded))
    compared++
  }
  t.ok(compared > 50)
  t.equal((await call(listed, 'GET', '/api/users')).status, 401, 'a route that needs a token asks for it')
  t.equal((await call(listed, 'GET', '/api')).status, 200, 'a public route stays public')
})
