import type { FastifyInstance } from 'fastify'
import type { Test } from 'tap'
import type { ProfileStatus } from '../db/schema'
import { buildApp, call, createOrganization, createUser, rowsOf, scopeOf } from './helper'

/**
 * The test fixtures, in one style: builders that write organizations, people and profiles straight
 * into the database (fast, and free of the rules under test), and `activeMatch` and `create`, which
 * go through the real routes and fail loudly when those refuse.
 */

/** A mentor profile written straight into the database, with its user and token. */
export async function mentor (app: FastifyInstance, organizationId: number, profile: { capacity?: number, status?: ProfileStatus, bio?: string | null } = {}) {
  const person = await createUser(app, organizationId, 'MENTOR')
  const row = app.domain.tables.mentors.insert(scopeOf(organizationId), {
    organization_id: organizationId, user_id: person.user.id, status: 'AVAILABLE', capacity: 1, ...profile
  })
  return { ...person, profile: row }
}

/** A mentee profile written straight into the database, with its user and token. */
export async function mentee (app: FastifyInstance, organizationId: number, profile: {
  status?: ProfileStatus, lambda_week?: number, interests?: string | null, desired_zip?: string | null, wanted_mentor_id?: number | null
} = {}) {
  const person = await createUser(app, organizationId, 'MENTEE')
  const row = app.domain.tables.mentees.insert(scopeOf(organizationId), {
    organization_id: organizationId, user_id: person.user.id, status: 'AVAILABLE', lambda_week: 1, ...profile
  })
  return { ...person, profile: row }
}

type Headers = { headers: Record<string, string> }
type Profile = { profile: { id: number } }

/** An ACTIVE match of the two profiles, made by `staff` through POST /api/matches. */
export async function activeMatch (app: FastifyInstance, staff: Headers, teacher: Profile, learner: Profile): Promise<{ id: number }> {
  const match = await call(app, 'POST', '/api/matches', { headers: staff.headers, payload: { mentor_id: teacher.profile.id, mentee_id: learner.profile.id } })
  if (match.status !== 201) throw new Error(`match failed: ${JSON.stringify(match.body)}`)
  return match.body
}

/**
 * An organization with its OWNER, a MANAGER and a plain USER. Written straight into the database:
 * registering through POST /api/auth/register (test/auth.test.ts) hashes the OWNER's password,
 * 130 ms of CPU per organization, more than most tests take in all.
 */
export async function organization (app: FastifyInstance) {
  const owner = await createOrganization(app)
  const orgId = owner.organization.id
  return {
    orgId,
    owner,
    manager: await createUser(app, orgId, 'MANAGER'),
    user: await createUser(app, orgId, 'USER')
  }
}

export const statusOf = (app: FastifyInstance, table: 'mentors' | 'mentees', id: number) =>
  (app.sqlite.prepare(`SELECT status FROM ${table} WHERE id = ?`).get(id) as { status: string } | undefined)?.status

/** The notifications written so far, as `[recipient user id, text]`. */
export const notices = (app: FastifyInstance) =>
  (app.sqlite.prepare('SELECT user_id, content FROM notifications ORDER BY id').all() as Array<{ user_id: number, content: string }>)
    .map(({ user_id, content }) => [user_id, content])

/**
 * Two organizations: "home" with its OWNER, a MANAGER, a USER waiting to be approved, a MENTOR and a
 * MENTEE; "away" with its OWNER and a USER; and the installation's ADMINISTRATOR.
 */
export async function setup (t: Test) {
  const app = await buildApp(t)
  const owner = await createOrganization(app)
  const org = owner.organization.id
  const manager = await createUser(app, org, 'MANAGER')
  const applicant = await createUser(app, org, 'USER')
  const mentor = await createUser(app, org, 'MENTOR')
  const mentee = await createUser(app, org, 'MENTEE')
  const away = await createOrganization(app)
  const stranger = await createUser(app, away.organization.id, 'USER')
  const admin = await createUser(app, null, 'ADMINISTRATOR')
  return { app, org, owner, manager, applicant, mentor, mentee, away, stranger, admin }
}

export type World = Awaited<ReturnType<typeof setup>>

/** Creates through the real route and fails the test loudly if that did not work. */
export async function create (t: Test, world: World, path: string, caller: Headers, payload: Record<string, unknown>) {
  const res = await call(world.app, 'POST', path, { headers: caller.headers, payload })
  t.equal(res.status, 201, `created ${path} ${JSON.stringify(payload)}`)
  return res.body
}

/** The role of a user as stored. */
export function roleOf (world: World, userId: number): string {
  const row = rowsOf(world.app, 'users').find((user) => (user as { id: number }).id === userId) as { role: string }
  return row.role
}

export const ids = (body: Array<{ id: number }>) => body.map((row) => row.id)
