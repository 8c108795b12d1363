import { and, count, desc, eq, type SQL, sql } from 'drizzle-orm'
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core'
import type { Db } from '../plugins/database'

/** A table whose rows belong to an organization: `tenant` is the column that names it. */
export type TenantTable = SQLiteTable & {
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

/** null: the caller is the installation's ADMINISTRATOR and sees every organization. */
export type OrganizationScope = number | null

/**
 * The organization-filtered reads and writes of one table. Every method takes the organization
 * first, so no query of tenant data can be written without one; `Tenant` binds it per request.
 */
export class Repository<T extends TenantTable, Id extends number | string = number> {
  readonly #byId
  readonly #byIdInOrganization

  constructor (readonly db: Db, readonly table: T, readonly tenant: SQLiteColumn, readonly noun: string) {
    const id = sql.placeholder('id')
    this.#byId = db.select().from(table as SQLiteTable).where(eq(table.id, id)).prepare()
    this.#byIdInOrganization = db.select().from(table as SQLiteTable)
      .where(and(eq(table.id, id), eq(tenant, sql.placeholder('organization')))).prepare()
  }

  #inScope (organization: OrganizationScope): SQL | undefined {
    return organization === null ? undefined : eq(this.tenant, organization)
  }

  #visible (includeDeleted: boolean): SQL | undefined {
    return this.table.deleted && !includeDeleted ? eq(this.table.deleted, false) : undefined
  }

  find (organization: OrganizationScope, id: Id, includeDeleted = false): T['$inferSelect'] | undefined {
    const row = (organization === null
      ? this.#byId.get({ id })
      : this.#byIdInOrganization.get({ id, organization })) as (T['$inferSelect'] & { deleted?: boolean }) | undefined
    return row && (!row.deleted || includeDeleted) ? row : undefined
  }

  list (organization: OrganizationScope, options: ListOptions): { rows: Array<T['$inferSelect']>, total: number } {
    const where = and(this.#inScope(organization), this.#visible(options.includeDeleted ?? false), ...(options.where ?? []))
    const rows = this.db.select().from(this.table as SQLiteTable).where(where)
      .orderBy(desc(this.table.created_at), desc(this.table.id))
      .limit(options.limit).offset(options.offset).all()
    const [counted] = this.db.select({ total: count() }).from(this.table as SQLiteTable).where(where).all()
    return { rows: rows as Array<T['$inferSelect']>, total: counted?.total ?? 0 }
  }

  insert (values: T['$inferInsert']): T['$inferSelect'] {
    return this.db.insert(this.table).values(values).returning().get() as T['$inferSelect']
  }

  update (organization: OrganizationScope, id: Id, values: Partial<T['$inferInsert']>): T['$inferSelect'] | undefined {
    return this.db.update(this.table).set(values as never)
      .where(and(eq(this.table.id, id), this.#inScope(organization)))
      .returning().get() as T['$inferSelect'] | undefined
  }

  remove (organization: OrganizationScope, id: Id): boolean {
    const result = this.db.delete(this.table).where(and(eq(this.table.id, id), this.#inScope(organization))).run()
    return result.changes > 0
  }
}
