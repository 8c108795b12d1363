import { readdirSync } from 'node:fs'
import { join } from 'node:path'

/** A folder of routes/ with an index.ts, by file: what the build turns into a `RouteFolder`. */
export interface RouteFolderFiles {
  prefix: string
  hooks: string[]
  routes: string
}

// The rules app.ts gives @fastify/autoload: only index files are route plugins, autohooks files
// apply to their folder and every folder below it, and `_id` folders become `:id` parameters.
const INDEX = /^index\.[cm]?[jt]s$/
const AUTOHOOKS = /^[_.]?auto_?hooks\.[cm]?[jt]s$/

/** autoload's `routeParams`: `/_id` becomes `/:id`, and `a__b` becomes `a:b`. */
const withRouteParams = (prefix: string) =>
  prefix.includes('__') ? prefix.replace(/__/g, ':') : prefix.replace(/\/_/g, '/:')

/** The route folders under `dir`, in the order autoload registers them. */
export function findRouteFolders (dir: string, prefix = '', inheritedHooks: string[] = []): RouteFolderFiles[] {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))
  const autohooks = entries.find((entry) => entry.isFile() && AUTOHOOKS.test(entry.name))
  const hooks = autohooks ? [...inheritedHooks, join(dir, autohooks.name)] : inheritedHooks
  const index = entries.find((entry) => entry.isFile() && INDEX.test(entry.name))
  const folders = index ? [{ prefix: withRouteParams(prefix), hooks, routes: join(dir, index.name) }] : []
  for (const entry of entries) {
    if (entry.isDirectory()) folders.push(...findRouteFolders(join(dir, entry.name), `${prefix}/${entry.name}`, hooks))
  }
  return folders
}
