import type { FastifyInstance, FastifyPluginAsync } from 'fastify'
import fp from 'fastify-plugin'

// Route and hook modules are typed against whatever type provider they chose.
type AnyPlugin = FastifyPluginAsync<any, any, any, any>

/** One folder of routes/ that holds an index.ts, as @fastify/autoload would register it. */
export interface RouteFolder {
  /** The folder's URL: `routes/api/users/_id` is `/api/users/:id`. */
  prefix: string
  /** The autohooks.ts of this folder and of the folders above it, outermost first. */
  hooks: AnyPlugin[]
  /** The folder's index.ts. */
  routes: AnyPlugin
}

export interface RouteListOptions {
  folders: RouteFolder[]
}

/**
 * Registers a route list found at build time exactly as @fastify/autoload registers routes/ with
 * `autoHooks` and `cascadeHooks`: a folder with hooks gets its own encapsulated context in which the
 * hooks apply, then its routes. The single executable needs this because autoload reads folders.
 */
export default fp<RouteListOptions>(async function routeList (fastify: FastifyInstance, { folders }) {
  for (const folder of folders) {
    if (folder.hooks.length === 0) {
      fastify.register(folder.routes, { prefix: folder.prefix })
      continue
    }
    fastify.register(async function withHooks (scope) {
      // Like autoload, hooks are registered without encapsulation so they reach the routes beside them.
      for (const hook of folder.hooks) scope.register(fp(hook))
      scope.register(folder.routes)
    }, { prefix: folder.prefix })
  }
}, { name: 'route-list' })
