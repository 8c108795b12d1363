import fp from 'fastify-plugin'
import { type OrganizationScope, Repository, type TenantTable } from '../db/repository'
import {
  experiences, invitations, matches, meetings, mentees, mentors, notifications, organizations, users
} from '../db/schema'
import type { Db } from './database'
import { badRequest, notFound } from './errors'
import { isStaff, type User } from './auth'

export function createRepositories (db: Db) {
  return {
    organizations: new Repository(db, organizations, organizations.id, 'Organization'),
    users: new Repository(db, users, users.organization_id, 'User'),
    mentors: new Repository(db, mentors, mentors.organization_id, 'Mentor'),
    mentees: new Repository(db, mentees, mentees.organization_id, 'Mentee'),
    experiences: new Repository(db, experiences, experiences.organization_id, 'Experience'),
    matches: new Repository(db, matches, matches.organization_id, 'Match'),
    meetings: new Repository(db, meetings, meetings.organization_id, 'Meeting'),
    notifications: new Repository(db, notifications, notifications.organization_id, 'Notification'),
    invitations: new Repository<typeof invitations, string>(db, invitations, invitations.organization_id, 'Invitation')
  }
}

export type Repositories = ReturnType<typeof createRepositories>

/** One table seen from one organization: whatever lies outside it answers 404, as if absent. */
export class Scoped<T extends TenantTable, Id extends number | string = number> {
  constructor (readonly repository: Repository<T, Id>, readonly organization: OrganizationScope) {}

  find (id: Id, includeDeleted = false) {
    return this.repository.find(this.organization, id, includeDeleted)
  }

  get (id: Id, includeDeleted = false) {
    const row = this.find(id, includeDeleted)
    if (!row) throw notFound(this.repository.noun)
    return row
  }

  list (options: Parameters<Repository<T, Id>['list']>[1]) {
    return this.repository.list(this.organization, options)
  }

  /** Rows are written into the caller's organization; only an ADMINISTRATOR names another. */
  insert (values: Omit<T['$inferInsert'], 'organization_id'> & { organization_id?: number | null }) {
    const organization_id = this.organization ?? values.organization_id
    if (organization_id == null) throw badRequest('organization_id is required')
    return this.repository.insert({ ...values, organization_id } as T['$inferInsert'])
  }

  update (id: Id, values: Partial<T['$inferInsert']>) {
    const row = this.repository.update(this.organization, id, values)
    if (!row) throw notFound(this.repository.noun)
    return row
  }

  remove (id: Id): void {
    if (!this.repository.remove(this.organization, id)) throw notFound(this.repository.noun)
  }
}

type ScopedRepositories = {
  [K in keyof Repositories]: Repositories[K] extends Repository<infer T, infer Id> ? Scoped<T, Id> : never
}

/** The caller's view of the data: every table, filtered to the caller's organization. */
export class Tenant {
  readonly organization: OrganizationScope
  readonly #scoped: Partial<ScopedRepositories> = {}

  constructor (readonly repositories: Repositories, readonly user: User) {
    this.organization = user.role === 'ADMINISTRATOR' ? null : user.organization_id
  }

  /** Soft-deleted records show only to staff who ask for them (`?include_deleted=true`). */
  includeDeleted (asked: boolean | undefined): boolean {
    return Boolean(asked) && isStaff(this.user)
  }

  #scope<K extends keyof Repositories> (name: K): ScopedRepositories[K] {
    this.#scoped[name] ??= new Scoped(this.repositories[name] as never, this.organization) as never
    return this.#scoped[name] as ScopedRepositories[K]
  }

  get organizations () { return this.#scope('organizations') }
  get users () { return this.#scope('users') }
  get mentors () { return this.#scope('mentors') }
  get mentees () { return this.#scope('mentees') }
  get experiences () { return this.#scope('experiences') }
  get matches () { return this.#scope('matches') }
  get meetings () { return this.#scope('meetings') }
  get notifications () { return this.#scope('notifications') }
  get invitations () { return this.#scope('invitations') }
}

declare module 'fastify' {
  interface FastifyInstance {
    repositories: Repositories
  }
  interface FastifyRequest {
    /** The signed-in caller's organization-scoped data access; routes reach tenant data only here. */
    readonly tenant: Tenant
  }
}

const TENANT = Symbol('tenant')

export default fp(async function tenancy (fastify) {
  const repositories = createRepositories(fastify.db)
  fastify.decorate('repositories', repositories)
  fastify.decorateRequest(TENANT, null)
  fastify.decorateRequest('tenant', {
    getter () {
      const request = this as unknown as { [TENANT]: Tenant | null, user: User | null }
      if (!request.user) throw new Error('tenant used on a route without authentication')
      request[TENANT] ??= new Tenant(repositories, request.user)
      return request[TENANT]
    }
  })
}, { name: 'tenancy', dependencies: ['database', 'auth'] })
