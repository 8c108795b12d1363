import { readdirSync } from 'node:fs'
import { join } from 'node:path'

/** One route plugin of routes/, by file: what the build turns into a `RouteFolder`. */
export interface RouteFolderFiles {
  prefix: string
  routes: string
}

// @fastify/autoload's rules as app.ts uses them: a folder with an index file registers that file
// only; a folder without one registers each of its script files; `_id` folders become `:id`.
const INDEX = /^index\.[cm]?[jt]s$/
const SCRIPT = /\.[cm]?[jt]s$/

/** autoload's `routeParams`: `/_id` becomes `/:id`, and `a__b` becomes `a:b`. */
const withRouteParams = (prefix: string) =>
  prefix.includes('__') ? prefix.replace(/__/g, ':') : prefix.replace(/\/_/g, '/:')

/** The route plugins under `dir`, in the order autoload registers them. */
export function findRouteFolders (dir: string, prefix = ''): RouteFolderFiles[] {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))
  const files = entries.filter((entry) => entry.isFile() && SCRIPT.test(entry.name) && !entry.name.endsWith('.d.ts'))
  const index = files.find((entry) => INDEX.test(entry.name))
  const folders = (index ? [index] : files).map((file) => ({ prefix: withRouteParams(prefix), routes: join(dir, file.name) }))
  for (const entry of entries) {
    if (entry.isDirectory()) folders.push(...findRouteFolders(join(dir, entry.name), `${prefix}/${entry.name}`))
  }
  return folders
}
