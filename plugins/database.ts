import { mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import Database from 'better-sqlite3'
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3'
import { migrate } from 'drizzle-orm/better-sqlite3/migrator'
import fp from 'fastify-plugin'
import * as schema from '../db/schema'

export type Db = BetterSQLite3Database<typeof schema>

declare module 'fastify' {
  interface FastifyInstance {
    db: Db
    sqlite: Database.Database
  }
}

export const MIGRATIONS_FOLDER = join(__dirname, '..', 'db', 'migrations')

export interface DatabaseOptions {
  /** better-sqlite3's native addon, for builds that carry it themselves (the single executable). */
  nativeBinding?: Database.Options['nativeBinding']
  /** Applies the migrations; the default reads them from db/migrations. */
  migrate?: (db: Db) => void
}

/** Opens the database with the settings every connection must have. */
export function openDatabase (path: string, options: DatabaseOptions = {}): { sqlite: Database.Database, db: Db } {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true })
  const sqlite = new Database(path, { nativeBinding: options.nativeBinding })
  sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('synchronous = FULL')
  sqlite.pragma('foreign_keys = ON')
  sqlite.pragma('busy_timeout = 5000')
  const db = drizzle({ client: sqlite, schema })
  const applyMigrations = options.migrate ?? ((target: Db) => migrate(target, { migrationsFolder: MIGRATIONS_FOLDER }))
  try {
    applyMigrations(db)
  } catch (error) {
    sqlite.close()
    throw error
  }
  return { sqlite, db }
}

export default fp<DatabaseOptions>(async function database (fastify, options) {
  const { sqlite, db } = openDatabase(fastify.config.DATABASE_PATH, options)
  fastify.decorate('sqlite', sqlite)
  fastify.decorate('db', db)
  fastify.addHook('onClose', async () => {
    sqlite.close()
  })
}, { name: 'database', dependencies: ['config'] })
