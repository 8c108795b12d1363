import type { Test } from 'tap'
import { buildApp, call, createUser, registerOrganization, rowsOf } from '../helper'

/**
 * Two organizations: "home" with its OWNER, a MANAGER, a USER waiting to be approved, a MENTOR and a
 * MENTEE; "away" with its OWNER and a USER; and the installation's ADMINISTRATOR.
 */
export async function setup (t: Test) {
  const app = await buildApp(t)
  const owner = await registerOrganization(app)
  const org = owner.organization.id
  const manager = await createUser(app, org, 'MANAGER')
  const applicant = await createUser(app, org, 'USER')
  const mentor = await createUser(app, org, 'MENTOR')
  const mentee = await createUser(app, org, 'MENTEE')
  const away = await registerOrganization(app)
  const stranger = await createUser(app, away.organization.id, 'USER')
  const admin = await createUser(app, null, 'ADMINISTRATOR')
  return { app, org, owner, manager, applicant, mentor, mentee, away, stranger, admin }
}

export type World = Awaited<ReturnType<typeof setup>>
type Caller = { headers: Record<string, string> }

/** Creates through the real route and fails the test loudly if that did not work. */
export async function create (t: Test, world: World, path: string, caller: Caller, payload: Record<string, unknown>) {
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
