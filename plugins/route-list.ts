import type { FastifyInstance, FastifyPluginAsync } from 'fastify'
import fp from 'fastify-plugin'

// Route modules are typed against whatever type provider they chose.
type AnyPlugin = FastifyPluginAsync<any, any, any, any>

/** One route plugin of routes/, as @fastify/autoload would register it. */
export interface RouteFolder {
  /** Its folder's URL: `routes/api/users/_id` is `/api/users/:id`. */
  prefix: string
  routes: AnyPlugin
}

export interface RouteListOptions {
  folders: RouteFolder[]
}

/**
 * Registers a route list found at build time exactly as @fastify/autoload registers routes/: each
 * route plugin under its folder's prefix. The single executable needs this because autoload reads folders.
 */
export default fp<RouteListOptions>(async function routeList (fastify: FastifyInstance, { folders }) {
  for (const folder of folders) fastify.register(folder.routes, { prefix: folder.prefix })
}, { name: 'route-list' })
