import type Database from 'better-sqlite3'
import { resolve } from 'node:path'
import fp from 'fastify-plugin'
import { type DatabaseOptions, type Db, openDatabase } from '../db/connection'

declare module 'fastify' {
  interface FastifyInstance {
    db: Db
    sqlite: Database.Database
    /** Where the database is, absolute, and whether this start made it: the commands say so. */
    databaseFile: { path: string, created: boolean }
  }
}

/** The one connection of the process, opened at start (migrations applied) and closed on shutdown. */
export default fp<DatabaseOptions>(async function database (fastify, options) {
  const { DATABASE_PATH } = fastify.config
  const { sqlite, db, created } = openDatabase(DATABASE_PATH, options)
  fastify.decorate('databaseFile', { path: DATABASE_PATH === ':memory:' ? DATABASE_PATH : resolve(DATABASE_PATH), created })
  fastify.decorate('sqlite', sqlite)
  fastify.decorate('db', db)
  fastify.addHook('onClose', async () => {
    sqlite.close()
  })
}, { name: 'database', dependencies: ['config'] })
