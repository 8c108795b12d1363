import type { FastifyInstance } from 'fastify'
import type { ProfileStatus } from '../../db/schema'
import { createUser, registerOrganization, scopeOf } from '../helper'

/** A mentor profile written straight into the database, with its user and token. */
export async function mentor (app: FastifyInstance, organizationId: number, profile: { capacity?: number, status?: ProfileStatus } = {}) {
  const person = await createUser(app, organizationId, 'MENTOR')
  const row = app.domain.tables.mentors.insert(scopeOf(organizationId), {
    organization_id: organizationId, user_id: person.user.id, status: 'AVAILABLE', capacity: 1, ...profile
  })
  return { ...person, profile: row }
}

/** A mentee profile written straight into the database, with its user and token. */
export async function mentee (app: FastifyInstance, organizationId: number, profile: { status?: ProfileStatus } = {}) {
  const person = await createUser(app, organizationId, 'MENTEE')
  const row = app.domain.tables.mentees.insert(scopeOf(organizationId), {
    organization_id: organizationId, user_id: person.user.id, status: 'AVAILABLE', lambda_week: 1, ...profile
  })
  return { ...person, profile: row }
}

/** An organization with its OWNER, a MANAGER and a plain USER. */
export async function organization (app: FastifyInstance) {
  const owner = await registerOrganization(app)
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
