import type { FastifyInstance } from 'fastify'
import { type AppOptions, build } from '../app'

/**
 * Runs `work` with the whole app ready but not listening, so that maintenance commands read the
 * same configuration, open the database the same way and write through the same repositories as
 * the server. The database is closed afterwards, whatever happens. `say` prints where the database
 * is (standard error, when standard output carries the command's data).
 */
export async function withApp<T> (options: AppOptions, work: (app: FastifyInstance) => Promise<T> | T, say = console.log): Promise<T> {
  const app = build(options)
  try {
    await app.ready()
    say(`Database: ${app.databaseFile.path}${app.databaseFile.created ? ' (created now)' : ''}`)
    return await work(app)
  } finally {
    await app.close()
  }
}

/** `METHOD /url` for every route the app serves, sorted: what `mentormatchr routes` prints. */
export async function routeTable (options: AppOptions): Promise<string[]> {
  const app = build(options)
  const routes = new Set<string>()
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.add(`${method} ${route.url}`)
  })
  await app.ready()
  await app.close()
  return [...routes].sort()
}
