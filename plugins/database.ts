import type Database from 'better-sqlite3'
import fp from 'fastify-plugin'
import { type DatabaseOptions, type Db, openDatabase } from '../db/connection'

declare module 'fastify' {
  interface FastifyInstance {
    db: Db
    sqlite: Database.Database
  }
}

/** The one connection of the process, opened at start (migrations applied) and closed on shutdown. */
export default fp<DatabaseOptions>(async function database (fastify, options) {
  const { sqlite, db } = openDatabase(fastify.config.DATABASE_PATH, options)
  fastify.decorate('sqlite', sqlite)
  fastify.decorate('db', db)
  fastify.addHook('onClose', async () => {
    sqlite.close()
  })
}, { name: 'database', dependencies: ['config'] })
