import type Database from 'better-sqlite3'
import { Column, getTableColumns, getTableName, is, Param, SQL } from 'drizzle-orm'
import { type SQLiteColumn, SQLiteSyncDialect, type SQLiteTable } from 'drizzle-orm/sqlite-core'
import { type DataVersion, otherCommits } from './other-commits'

const dialect = new SQLiteSyncDialect()
const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`

/**
 * Statements kept by their SQL text. The texts come from the code (conditions, the columns a write
 * names) with every value a parameter, so they are few; the bound is a guard, not a working size.
 */
class StatementCache {
  readonly #statements = new Map<string, Database.Statement>()

  constructor (readonly sqlite: Database.Database, readonly bound = 500) {}

  /** The statement of `text`, answering rows as arrays of values (raw) or its first column's values (pluck). */
  get (text: string, answers: 'raw' | 'pluck'): Database.Statement {
    let statement = this.#statements.get(text)
    if (!statement) {
      if (this.#statements.size >= this.bound) this.#statements.clear()
      statement = this.sqlite.prepare(text)
      if (answers === 'raw') statement.raw(true)
      else statement.pluck(true)
      this.#statements.set(text, statement)
    }
    return statement
  }
}

/** Enough for every list shape of every organization of a large installation; past it, all make room. */
const TOTALS_KEPT = 2_000

/**
 * The lists' totals, kept until the database changes. Counting is most of a list's work in a large
 * organization (its 8,400 mentees: 150 µs of 600), and pages are read far more often than written.
 * Two readings tell whether anything changed since the totals were counted: this connection's
 * writes (`total_changes()`, whichever way they were made, even rolled back), and the commits of
 * other connections to the same file (a CLI command), seen from the next turn of the event loop
 * (`otherCommits`). A total counted inside a transaction is not kept: it may still roll back.
 */
class Totals {
  // Reads no table, so it opens no read transaction: as cheap as SELECT 1.
  readonly #changes: Database.Statement
  readonly #dataVersion: DataVersion
  readonly #kept = new Map<string, number>()
  #keptAt = { changes: -1, dataVersion: -1 }

  constructor (readonly sqlite: Database.Database) {
    this.#changes = sqlite.prepare('SELECT total_changes()').pluck()
    this.#dataVersion = otherCommits(sqlite)
  }

  count (statement: Database.Statement, params: unknown[]): number {
    if (this.sqlite.inTransaction) return Number(statement.get(...params))
    const changes = this.#changes.get() as number
    const dataVersion = this.#dataVersion()
    if (changes !== this.#keptAt.changes || dataVersion !== this.#keptAt.dataVersion) {
      this.#kept.clear()
      this.#keptAt = { changes, dataVersion }
    }
    const key = `${statement.source}\0${JSON.stringify(params)}`
    let total = this.#kept.get(key)
    if (total === undefined) {
      total = Number(statement.get(...params))
      if (this.#kept.size >= TOTALS_KEPT) this.#kept.clear()
      this.#kept.set(key, total)
    }
    return total
  }
}

const totalsOf = new WeakMap<Database.Database, Totals>()

/** A condition rendered once into SQL text and its parameters, as drizzle would bind them. */
export function rendered (condition: SQL | undefined): { text: string, params: unknown[] } {
  if (!condition) return { text: '', params: [] }
  const { sql, params } = dialect.sqlToQuery(condition)
  return { text: sql, params }
}

/**
 * One table's reads and writes as prepared better-sqlite3 statements, each prepared the first time
 * its SQL text is seen: drizzle builds a query (and SQLite compiles it) on every call of its query
 * builder, which was most of the time of a cheap request. Rows come back as drizzle's select() gives
 * them (each value decoded by its column: booleans, JSON), mapped by one loop over the columns.
 */
export class TableStatements<Row> {
  readonly name: string
  /** `"id", "organization_id", ...`: every column, in the order `decode` reads them. */
  readonly columns: string
  readonly #keys: string[]
  readonly #byKey: Record<string, SQLiteColumn>
  readonly #decoders: Array<SQLiteColumn | null>
  readonly #cache: StatementCache
  readonly #totals: Totals

  constructor (sqlite: Database.Database, table: SQLiteTable) {
    this.name = quoted(getTableName(table))
    this.#byKey = getTableColumns(table) as Record<string, SQLiteColumn>
    const entries = Object.entries(this.#byKey)
    this.#keys = entries.map(([key]) => key)
    this.columns = entries.map(([, column]) => quoted(column.name)).join(', ')
    // Only columns whose driver value differs from the row's (booleans, JSON) are decoded.
    this.#decoders = entries.map(([, column]) => column.mapFromDriverValue === Column.prototype.mapFromDriverValue ? null : column)
    this.#cache = new StatementCache(sqlite)
    let totals = totalsOf.get(sqlite)
    if (!totals) totalsOf.set(sqlite, totals = new Totals(sqlite))
    this.#totals = totals
  }

  /** A raw row (its values in `columns` order) as drizzle's select() answers it. */
  decode (values: unknown[]): Row {
    const row: Record<string, unknown> = {}
    for (let i = 0; i < values.length; i++) {
      const value = values[i]
      const decoder = this.#decoders[i]
      row[this.#keys[i]!] = decoder && value !== null ? decoder.mapFromDriverValue(value) : value
    }
    return row as Row
  }

  /**
   * The rows a SELECT, or an INSERT or UPDATE ... RETURNING `columns`, answers. Writes are read
   * with all() too: measured, get() on a write keeps SQLite from ever restarting the WAL, which
   * then grows by every write.
   */
  all (text: string, params: unknown[]): Row[] {
    return (this.#cache.get(text, 'raw').all(...params) as unknown[][]).map((values) => this.decode(values))
  }

  /** What `SELECT count(*) ...` answers, unchanged since the database last changed (`Totals`). */
  count (text: string, params: unknown[]): number {
    return this.#totals.count(this.#cache.get(text, 'pluck'), params)
  }

  /**
   * INSERT ... RETURNING every column. Like drizzle's insert(): undefined means not given, a column
   * not given takes its $defaultFn (else its $onUpdateFn), else the database's default.
   */
  insert (values: Record<string, unknown>): Row {
    return this.insertMany([values])[0]!
  }

  /**
   * Several rows as `insert` writes each, in one statement when they give the same columns (one
   * statement per row otherwise), answered in their order.
   */
  insertMany (rows: Array<Record<string, unknown>>): Row[] {
    if (rows.length === 0) return []
    const given = rows.map((values) => this.#given(values))
    const names = given[0]!.names.join(', ')
    if (given.some((row) => row.names.join(', ') !== names)) return rows.flatMap((values) => this.insertMany([values]))
    const placeholders = `(${given[0]!.names.map(() => '?').join(', ')})`
    const text = `INSERT INTO ${this.name} (${names}) VALUES ${given.map(() => placeholders).join(', ')} RETURNING ${this.columns}`
    return this.all(text, given.flatMap((row) => row.params))
  }

  #given (values: Record<string, unknown>): { names: string[], params: unknown[] } {
    const names: string[] = []
    const params: unknown[] = []
    for (const key of this.#keys) {
      const column = this.#byKey[key]!
      let value = values[key]
      if (value === undefined) value = column.defaultFn ? column.defaultFn() : column.default === undefined ? column.onUpdateFn?.() : undefined
      if (value === undefined) continue
      names.push(quoted(column.name))
      params.push(this.#encode(column, value))
    }
    return { names, params }
  }

  /**
   * UPDATE ... SET the values given (undefined ones left as they are; columns with an $onUpdateFn
   * it sets, as drizzle's update() does) WHERE `condition`, RETURNING every column of the row.
   */
  update (values: Record<string, unknown>, condition: SQL): Row | undefined {
    const assignments: string[] = []
    const params: unknown[] = []
    for (const key of this.#keys) {
      const column = this.#byKey[key]!
      let value = values[key]
      if (value === undefined) value = column.onUpdateFn?.()
      if (value === undefined) continue
      assignments.push(`${quoted(column.name)} = ?`)
      params.push(this.#encode(column, value))
    }
    const where = rendered(condition)
    const [row] = this.all(`UPDATE ${this.name} SET ${assignments.join(', ')} WHERE ${where.text} RETURNING ${this.columns}`, [...params, ...where.params])
    return row
  }

  #encode (column: SQLiteColumn, value: unknown): unknown {
    if (is(value, SQL) || is(value, Param)) throw new Error(`${this.name}.${column.name}: Table writes take values, not SQL`)
    return value === null ? null : column.mapToDriverValue(value)
  }
}
