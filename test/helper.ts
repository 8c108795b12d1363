import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import type { FastifyInstance, InjectOptions } from 'fastify'
import type { Test } from 'tap'
import { build, type AppOptions } from '../app'
import type { Role } from '../db/schema'
import type { User } from '../domain/caller'
import { hashPassword } from '../domain/passwords'
import type { Access } from '../domain/policy'
import { Scope } from '../domain/tenancy'

export const PASSWORD = 'correct horse battery'

/** The real app on a fresh in-memory database, closed when the test ends. */
export async function buildApp (t: Test, config: AppOptions['config'] = {}, options: Omit<AppOptions, 'config'> = {}) {
  // Tests sign in far more often than people do: the attempt budget is the rate-limit tests' to set.
  const app = build({ ...options, config: { DATABASE_PATH: ':memory:', AUTH_RATE_LIMIT: 1000, ...config } })
  t.teardown(() => app.close())
  await app.ready()
  return app
}

/**
 * The real app on a database file in a temporary folder, listening on 127.0.0.1, for requests that
 * must truly run at once; closed and removed when the test ends.
 */
export async function listeningApp (t: Test, name: string, config: AppOptions['config'] = {}) {
  const directory = mkdtempSync(join(tmpdir(), `mentormatchr-${name}-`))
  const app = build({ config: { DATABASE_PATH: join(directory, `${name}.db`), ...config } })
  t.teardown(async () => {
    await app.close()
    rmSync(directory, { recursive: true, force: true })
  })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const address = app.server.address()
  if (!address || typeof address === 'string') throw new Error('the server has no TCP address')
  return { app, base: `http://127.0.0.1:${address.port}` }
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

/** Where fixtures write straight into the database: one organization, or (null) the ADMINISTRATOR's none. */
export const scopeOf = (organizationId: number | null) =>
  organizationId === null ? Scope.acrossOrganizations : Scope.organization(organizationId)

let counter = 0
const unique = (prefix: string) => `${prefix}-${process.pid}-${++counter}`

/** Registers an organization through the real route; answers its OWNER, token and organization. */
export async function registerOrganization (app: FastifyInstance, body: Record<string, unknown> = {}) {
  const name = unique('org')
  const response = await app.inject({
    method: 'POST',
    url: '/api/auth/register',
    payload: { organization_name: name, email: `${name}@example.com`, password: PASSWORD, ...body }
  })
  if (response.statusCode !== 201) throw new Error(`register failed: ${response.statusCode} ${response.body}`)
  const json = response.json() as { token: string, user: User, organization: { id: number, name: string } }
  return { ...json, headers: bearer(json.token) }
}

/** An organization and its OWNER written straight into the database, as registering makes them (without its password work). */
export async function createOrganization (app: FastifyInstance) {
  const organization = app.domain.tables.organizations.insert(Scope.acrossOrganizations, { name: unique('org') })
  return { ...await createUser(app, organization.id, 'OWNER'), organization }
}

let passwordHash: Promise<string> | undefined

/** A user written straight into the database (hashing once per process keeps the suite fast). */
export async function createUser (app: FastifyInstance, organizationId: number | null, role: Role, fields: Partial<User> = {}) {
  passwordHash ??= hashPassword(PASSWORD)
  const name = unique(role.toLowerCase())
  const user = app.domain.tables.users.insert(scopeOf(organizationId), {
    organization_id: organizationId,
    email: `${name}@example.com`,
    first_name: name,
    last_name: 'Tester',
    password_hash: await passwordHash,
    role,
    ...fields
  })
  const token = app.issueToken(user)
  return { user, token, headers: bearer(token) }
}

/** What must never leave the server, whatever the route: a password hash or its scheme. */
const SECRET_TRACES = /"password_hash"\s*:|scrypt\$/

/**
 * Injects and parses: `call(app, 'GET', '/api/x', { headers })`. Every answer of the suite passes
 * through here, so every one is checked for leaked password hashes.
 */
export async function call (app: FastifyInstance, method: InjectOptions['method'], url: string, options: Omit<InjectOptions, 'method' | 'url'> = {}) {
  const response = await app.inject({ method, url, ...options })
  if (SECRET_TRACES.test(response.body)) throw new Error(`${method} ${url} leaked a password hash: ${response.body}`)
  const body = response.body ? response.json() : undefined
  return { status: response.statusCode, body, headers: response.headers }
}

/** Every row of a table, for checking that a refused request wrote nothing. */
export const rowsOf = (app: FastifyInstance, table: string) =>
  app.sqlite.prepare(`SELECT * FROM ${table} ORDER BY id`).all()

export interface DeclaredRoute {
  method: string
  url: string
  access: Access
  /** The names of its body's fields; undefined: the route takes no body. */
  body: string[] | undefined
  /** The names of its query string's parameters. */
  query: string[]
  /** A page of the web app (signed in by the session cookie), not an API route. */
  page: boolean
}

/** Every route of the app with the access it declares and the fields its schemas name, as the app registers them. */
export async function declaredRoutes (): Promise<DeclaredRoute[]> {
  const app = build({ config: { DATABASE_PATH: ':memory:' } })
  const routes: DeclaredRoute[] = []
  const fieldsOf = (schema: unknown) => Object.keys((schema as { properties?: object } | undefined)?.properties ?? {})
  app.addHook('onRoute', (route) => {
    const access = route.config?.access
    if (!access) return
    for (const method of [route.method].flat()) {
      if (method === 'HEAD') continue
      routes.push({ method, url: route.url, access, body: route.schema?.body ? fieldsOf(route.schema.body) : undefined, query: fieldsOf(route.schema?.querystring), page: route.config?.page === true })
    }
  })
  await app.ready()
  await app.close()
  return routes
}

/**
 * A clock the test moves; the rules and the jobs read it, nothing else does. `clock.days(30)` puts
 * it 30 days after its start, which is `start` (default: when it was made), or when `clock.restart()`
 * was last called (after the records a test counts from were written by the real time);
 * `advance(ms)` and `set(iso)` move it by hand.
 */
export function movableClock (startAt?: string) {
  let start = startAt === undefined ? new Date() : new Date(startAt)
  let at = start
  return {
    now: () => at,
    days (days: number) {
      at = new Date(start.getTime() + days * 24 * 60 * 60 * 1000)
      return at
    },
    advance (ms: number) {
      at = new Date(at.getTime() + ms)
    },
    set (iso: string) {
      at = new Date(iso)
    },
    restart () {
      start = at = new Date()
    }
  }
}

/** Waits (up to 10 s) until `condition` holds; fails naming `what` otherwise. */
export async function until (condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let waited = 0; waited < 10_000; waited += 20) {
    if (await condition()) return
    await sleep(20)
  }
  throw new Error(`gave up waiting until ${what}`)
}

/** The API's routes: every declared route but the web app's pages (tried with their session in test/web). */
export const apiRoutes = async () => (await declaredRoutes()).filter((route) => !route.page)
