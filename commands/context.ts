import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { FastifyInstance } from 'fastify'
import { type AppOptions, build } from '../app'

/** A mistake in how the command was called: exit code 2, with a pointer to --help. */
export class UsageError extends Error {}

/** A command that could not do its work for a reason its user can act on: exit code 1, no stack. */
export class CommandError extends Error {}

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

/**
 * Writes a command's output to `target` (standard output unless told) at the pace it takes it. A
 * reader that has read enough (`| head`) closes the pipe: the command simply stops, as cat would.
 */
export async function writeOut (output: Readable | string, target: NodeJS.WritableStream = process.stdout): Promise<void> {
  try {
    await pipeline(typeof output === 'string' ? Readable.from([output]) : output, target)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPIPE') throw error
  }
}
