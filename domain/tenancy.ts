import { and, eq, type SQL, sql } from 'drizzle-orm'
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core'
import type { Db } from '../db/connection'
import {
  experiences, invitations, matches, meetings, mentees, mentors, notifications, organizations, requests, type Role, users
} from '../db/schema'
import { invalid, notFound } from './errors'
import type { Clock } from './clock'
import type { Outbox } from './outbox'
import { rendered, TableStatements } from './table-statements'

/**
 * Which organizations a caller reaches: one, or (the ADMINISTRATOR) all. Every read and write of
 * tenant data takes a scope, and a scope is made only here, so no query can forget the organization.
 */
export class Scope {
  /**
   * THE UNSCOPED DOOR. The only scope that crosses organizations: the installation's ADMINISTRATOR
   * holds it, and so do the reads that must find a record before anyone is known (registration,
   * login, an invitation by its token, a GitHub account). Every use is greppable by this name.
   */
  static readonly acrossOrganizations = new Scope(null)

  private constructor (readonly organizationId: number | null) {}

  /** The organization of a signed-in user; the ADMINISTRATOR's scope is every organization. */
  static of (user: { role: Role, organization_id: number | null }): Scope {
    if (user.role === 'ADMINISTRATOR') return Scope.acrossOrganizations
    if (user.organization_id === null) throw new Error('only the ADMINISTRATOR belongs to no organization')
    return new Scope(user.organization_id)
  }

  /** One named organization, for work done on its behalf (a record's own organization). */
  static organization (id: number): Scope {
    return new Scope(id)
  }
}

/**
 * What `make` builds for one kind of scope (within an organization, or across all of them), built
 * on first use and kept: statements for both kinds, prepared at start, cost every start 16 ms, and
 * most are never used across organizations. A statement is made for its kind: one condition for
 * both (`:org IS NULL OR ...`) keeps SQLite from searching an organization's index.
 */
export function perScope<T> (make: (withinOrganization: boolean) => T): (scope: Scope) => T {
  let withinOrganization: T | undefined
  let acrossOrganizations: T | undefined
  return (scope) => scope.organizationId === null
    ? (acrossOrganizations ??= make(false))
    : (withinOrganization ??= make(true))
}

/**
 * A prepared read of tenant data, for queries a `Table` does not make (joins): `prepare` is called
 * with the condition that keeps to one organization, or without it (`perScope`), and each call
 * picks the statement of its scope.
 */
export function scopedRead<R> (tenant: SQLiteColumn, prepare: (inScope: SQL | undefined) => { get (params?: Record<string, unknown>): R }) {
  const statementOf = perScope((withinOrganization) => prepare(withinOrganization ? eq(tenant, sql.placeholder('organization')) : undefined))
  return (scope: Scope, params: Record<string, unknown>): R => scope.organizationId === null
    ? statementOf(scope).get(params)
    : statementOf(scope).get({ ...params, organization: scope.organizationId })
}

/** `scopedRead` for a prepared query that answers every row it finds. */
export function scopedList<R> (tenant: SQLiteColumn, prepare: (inScope: SQL | undefined) => { all (params?: Record<string, unknown>): R[] }) {
  return scopedRead(tenant, (inScope) => {
    const statement = prepare(inScope)
    return { get: (params?: Record<string, unknown>) => statement.all(params) }
  })
}

/**
 * `column IN` the ids of a JSON array bound to the placeholder `name`: one prepared statement reads
 * what a whole page of rows refers to, however long the page.
 */
export const inJsonArray = (column: SQLiteColumn, name: string): SQL =>
  sql`${column} IN (SELECT value FROM json_each(${sql.placeholder(name)}))`

/** A table whose rows belong to an organization. */
type TenantTable = SQLiteTable & {
  id: SQLiteColumn
  created_at: SQLiteColumn
  deleted?: SQLiteColumn
}

export interface Page {
  limit: number
  offset: number
}

export interface ListOptions extends Page {
  where?: Array<SQL | undefined>
  includeDeleted?: boolean
}

/** A row to write: the organization comes from the scope, or across organizations from the row. */
type Insert<T extends TenantTable> = Omit<T['$inferInsert'], 'organization_id'> & { organization_id?: number | null }

/**
 * The organization-scoped reads and writes of one table. A record outside the scope does not
 * exist: reads miss it (404) and writes do not reach it. Every read and write runs a prepared
 * statement (table-statements.ts); `where` conditions are drizzle's, rendered with their values
 * as parameters, so each list shape is prepared once.
 */
export class Table<T extends TenantTable, Id extends number | string = number> {
  readonly #statements: TableStatements<T['$inferSelect']>
  readonly #byId: string
  readonly #byIdInOrganization: string
  #writes = 0

  constructor (readonly db: Db, readonly table: T, readonly tenant: SQLiteColumn, readonly noun: string) {
    const statements = this.#statements = new TableStatements(db.$client, table)
    const select = `SELECT ${statements.columns} FROM ${statements.name} WHERE "${table.id.name}" = ?`
    this.#byId = select
    this.#byIdInOrganization = `${select} AND "${tenant.name}" = ?`
  }

  /**
   * How many writes this table has run on its connection, committed or not: whatever keeps rows
   * in memory (the signed-in users) compares it to know they may have changed.
   */
  get writes (): number {
    return this.#writes
  }

  #inScope (scope: Scope): SQL | undefined {
    return scope.organizationId === null ? undefined : eq(this.tenant, scope.organizationId)
  }

  find (scope: Scope, id: Id, includeDeleted = false): T['$inferSelect'] | undefined {
    const { organizationId: organization } = scope
    const [row] = (organization === null
      ? this.#statements.all(this.#byId, [id])
      : this.#statements.all(this.#byIdInOrganization, [id, organization])) as Array<T['$inferSelect'] & { deleted?: boolean }>
    return row && (!row.deleted || includeDeleted) ? row : undefined
  }

  /** The record, or a 404 naming what was not found. */
  get (scope: Scope, id: Id, includeDeleted = false): T['$inferSelect'] {
    const row = this.find(scope, id, includeDeleted)
    if (!row) throw notFound(this.noun)
    return row
  }

  /** A prepared read by a unique column (an email, a GitHub id): `(scope, value) => row`. */
  lookup (column: SQLiteColumn) {
    const read = scopedRead(this.tenant, (inScope) =>
      this.db.select().from(this.table as SQLiteTable).where(and(eq(column, sql.placeholder('value')), inScope)).prepare())
    return (scope: Scope, value: string | number) => read(scope, { value }) as T['$inferSelect'] | undefined
  }

  /**
   * A page, newest first, and the number of all the rows that match. Each read follows an index
   * on (organization, deleted, created_at): a list that includes deleted rows reads the live and
   * the deleted ones in that order and merges them, rather than sorting the organization's rows.
   */
  list (scope: Scope, options: ListOptions): { rows: Array<T['$inferSelect']>, total: number } {
    const statements = this.#statements
    const condition = rendered(and(this.#inScope(scope), ...(options.where ?? [])))
    const page = [options.limit, options.offset]
    const order = `ORDER BY "${this.table.created_at.name}" DESC, "${this.table.id.name}" DESC LIMIT ? OFFSET ?`
    const where = (...terms: string[]) => [...terms, condition.text && `(${condition.text})`].filter(Boolean).join(' AND ') || '1'
    const select = (...terms: string[]) => `SELECT ${statements.columns} FROM ${statements.name} WHERE ${where(...terms)}`
    const count = (...terms: string[]) => statements.count(`SELECT count(*) FROM ${statements.name} WHERE ${where(...terms)}`, condition.params)
    const deleted = this.table.deleted && `"${this.table.deleted.name}"`
    if (!deleted) {
      return { rows: statements.all(`${select()} ${order}`, [...condition.params, ...page]), total: count() }
    }
    if (!options.includeDeleted) {
      return { rows: statements.all(`${select(`${deleted} = 0`)} ${order}`, [...condition.params, ...page]), total: count(`${deleted} = 0`) }
    }
    return {
      rows: statements.all(`${select(`${deleted} = 0`)} UNION ALL ${select(`${deleted} = 1`)} ${order}`,
        [...condition.params, ...condition.params, ...page]),
      total: count()
    }
  }

  /** Writes the row into the scope's organization; across organizations, the row must name its own. */
  insert (scope: Scope, values: Insert<T>): T['$inferSelect'] {
    return this.insertMany(scope, [values])[0]!
  }

  /** Writes the rows as `insert` writes each (in one statement when they give the same columns), answered in their order. */
  insertMany (scope: Scope, rows: Array<Insert<T>>): Array<T['$inferSelect']> {
    this.#writes++
    return this.#statements.insertMany(rows.map((values) => {
      // An organization is its own tenant: a new one belongs to no existing scope.
      if (this.tenant === this.table.id) {
        if (scope !== Scope.acrossOrganizations) throw new Error('a new organization is written across organizations')
        return values
      }
      // null only for the ADMINISTRATOR, who belongs to no organization (the database checks it).
      const organization_id = scope.organizationId ?? values.organization_id
      if (organization_id === undefined) throw invalid('organization_id is required')
      return { ...values, organization_id }
    }))
  }

  /** Writes the values given (undefined ones are left as they are); none at all changes nothing. */
  update (scope: Scope, id: Id, values: Partial<T['$inferInsert']>): T['$inferSelect'] {
    if (Object.values(values).every((value) => value === undefined)) return this.get(scope, id, true)
    this.#writes++
    const row = this.#statements.update(values, and(eq(this.table.id, id), this.#inScope(scope))!)
    if (!row) throw notFound(this.noun)
    return row
  }

  /** Marks the live record deleted, once `mayDelete` (which throws to refuse) accepts it: one IMMEDIATE transaction. */
  softDelete (scope: Scope, id: Id, mayDelete: (row: T['$inferSelect']) => void): T['$inferSelect'] {
    return immediately(this, () => {
      mayDelete(this.get(scope, id))
      return this.update(scope, id, { deleted: true } as Partial<T['$inferInsert']>)
    })
  }

  /** Erases the row for good; the foreign keys cascade to what hangs on it. */
  remove (scope: Scope, id: Id): void {
    this.#writes++
    const result = this.db.delete(this.table).where(and(eq(this.table.id, id), this.#inScope(scope))).run()
    if (result.changes === 0) throw notFound(this.noun)
  }
}

/** Every table of tenant data, each scoped by its organization column: the one table map. */
export function createTables (db: Db) {
  return {
    organizations: new Table(db, organizations, organizations.id, 'Organization'),
    users: new Table(db, users, users.organization_id, 'User'),
    mentors: new Table(db, mentors, mentors.organization_id, 'Mentor'),
    mentees: new Table(db, mentees, mentees.organization_id, 'Mentee'),
    experiences: new Table(db, experiences, experiences.organization_id, 'Experience'),
    matches: new Table(db, matches, matches.organization_id, 'Match'),
    meetings: new Table(db, meetings, meetings.organization_id, 'Meeting'),
    notifications: new Table(db, notifications, notifications.organization_id, 'Notification'),
    invitations: new Table(db, invitations, invitations.organization_id, 'Invitation'),
    requests: new Table(db, requests, requests.organization_id, 'Request')
  }
}

export type Tables = ReturnType<typeof createTables>

/** The database and its tables, as every domain module receives them. */
export interface Store {
  db: Db
  tables: Tables
  clock: Clock
  /** Set when the installation sends email: notify() hands it what it writes. */
  outbox?: Outbox
}

type Transaction = ReturnType<Db['$client']['transaction']>
const transactions = new WeakMap<Db['$client'], Transaction>()

/**
 * Runs `work` in one IMMEDIATE transaction: it takes the write lock before reading, so what it
 * checks stays true until it writes. Slow work (hashing) belongs before it. Inside another
 * transaction it becomes a savepoint of that one. better-sqlite3's own transaction function, made
 * once per connection: drizzle's makes a transaction object, with its query builders, on each call,
 * which cost every write about 12 µs (PATCH /api/notifications/:id a tenth of its throughput).
 */
export function immediately<T> (store: Pick<Store, 'db'>, work: () => T): T {
  const connection = store.db.$client
  let transaction = transactions.get(connection)
  if (!transaction) {
    transaction = connection.transaction((inside: () => unknown) => inside())
    transactions.set(connection, transaction)
  }
  return transaction.immediate(work) as T
}
