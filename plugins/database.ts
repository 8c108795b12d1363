import { resolve } from 'node:path'
import Database from 'better-sqlite3'
import fp from 'fastify-plugin'
import { type DatabaseOptions, type Db, openDatabase } from '../db/connection'
import type { Reader } from '../domain/exports'

declare module 'fastify' {
  interface FastifyInstance {
    db: Db
    sqlite: Database.Database
    /** Where the database is, absolute, and whether this start made it: the commands say so. */
    databaseFile: { path: string, created: boolean }
    /**
     * A read-only connection of its own, for a long read (an export) that must neither hold the
     * app's connection nor see writes made while it reads. In memory there is no second connection
     * to the same data: the app's own is lent, and a long read then holds it.
     */
    openReader (): Reader
  }
}

/** The one connection of the process, opened at start (migrations applied) and closed on shutdown. */
export default fp<DatabaseOptions>(async function database (fastify, options) {
  const { DATABASE_PATH } = fastify.config
  const { sqlite, db, created } = openDatabase(DATABASE_PATH, options)
  fastify.decorate('databaseFile', { path: DATABASE_PATH === ':memory:' ? DATABASE_PATH : resolve(DATABASE_PATH), created })
  fastify.decorate('sqlite', sqlite)
  fastify.decorate('db', db)
  fastify.decorate('openReader', (): Reader => {
    if (DATABASE_PATH === ':memory:') return { connection: sqlite, close () {} }
    const connection = new Database(DATABASE_PATH, { readonly: true, fileMustExist: true, nativeBinding: options.nativeBinding })
    connection.pragma('busy_timeout = 5000')
    return { connection, close: () => connection.close() }
  })
  fastify.addHook('onClose', async () => {
    sqlite.close()
  })
}, { name: 'database', dependencies: ['config'] })
