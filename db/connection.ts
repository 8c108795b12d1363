import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import Database from 'better-sqlite3'
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3'
import { migrate } from 'drizzle-orm/better-sqlite3/migrator'
import { makeFolders } from './folders'
import * as schema from './schema'
import { tokenHash } from './tokens'

/** drizzle over the connection, which `$client` still reaches (statements drizzle does not build). */
export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database }

export const MIGRATIONS_FOLDER = join(__dirname, 'migrations')

export interface DatabaseOptions {
  /** better-sqlite3's native addon, for builds that carry it themselves (the single executable). */
  nativeBinding?: Database.Options['nativeBinding']
  /** Applies the migrations; the default reads them from db/migrations. */
  migrate?: (db: Db) => void
  /** Called with every SQL statement the connection runs (the tests count them). */
  trace?: (sql: string) => void
}

/** The database file cannot be opened or created where DATABASE_PATH points. */
export class DatabaseOpenError extends Error {
  constructor (readonly path: string, cause: unknown) {
    super(`Cannot open the database at ${path}: ${(cause as Error).message}. Set DATABASE_PATH to a file in a folder this user can write`, { cause })
  }
}

/**
 * Opens the database with the settings every connection must have, and brings it up to date.
 * `created`: there was no file at `path` before.
 */
export function openDatabase (path: string, options: DatabaseOptions = {}): { sqlite: Database.Database, db: Db, created: boolean } {
  const inMemory = path === ':memory:'
  const created = inMemory || !existsSync(path)
  const { trace } = options
  let sqlite: Database.Database
  try {
    if (!inMemory) makeFolders(dirname(path))
    sqlite = new Database(path, { nativeBinding: options.nativeBinding, verbose: trace && ((statement) => trace(String(statement))) })
  } catch (error) {
    throw new DatabaseOpenError(inMemory ? path : resolve(path), error)
  }
  sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('synchronous = FULL')
  sqlite.pragma('foreign_keys = ON')
  sqlite.pragma('busy_timeout = 5000')
  // Checkpoints keep the WAL near 4 MB; one that grew while a long read held it back (a backup)
  // is cut back to this size at its next restart rather than keeping its disk space.
  sqlite.pragma(`journal_size_limit = ${64 * 1024 * 1024}`)
  // Migration 0002 turns the old invitation ids (their secrets) into token hashes with it.
  sqlite.function('invitation_token_hash', { deterministic: true }, (token) => tokenHash(String(token)))
  const db = drizzle({ client: sqlite, schema })
  const applyMigrations = options.migrate ?? ((target: Db) => migrate(target, { migrationsFolder: MIGRATIONS_FOLDER }))
  try {
    try {
      applyMigrations(db)
    } catch {
      // Two processes opening a new file at once (the server and a command) both find it
      // unmigrated: the migrator reads what is applied before its transaction, so the slower one
      // fails on the tables the other has just made, and rolls back. Its second reading finds them
      // applied; a migration that really fails, fails again and is thrown.
      applyMigrations(db)
    }
  } catch (error) {
    sqlite.close()
    throw error
  }
  return { sqlite, db, created }
}
