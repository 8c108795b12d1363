import { existsSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, join } from 'node:path'
import sea from 'node:sea'
import { migrate } from 'drizzle-orm/better-sqlite3/migrator'
import type { AppOptions } from '../app'
import { makeFolders } from '../db/folders'
import { ConfigurationError } from '../plugins/config'
import type { WebAsset } from '../web/assets'
import { routeFolders } from './routes'

/** The folders of files the single executable carries as assets, besides its code. */
export const EMBEDDED_FOLDERS = ['better-sqlite3', 'migrations', 'swagger-ui'] as const
export type EmbeddedFolder = (typeof EMBEDDED_FOLDERS)[number]

/** The asset `manifest.json`: per folder, its files and a hash of their content. */
export type Manifest = Record<EmbeddedFolder, { hash: string, files: string[] }>
export const MANIFEST_ASSET = 'manifest.json'
export const assetKey = (folder: EmbeddedFolder, file: string) => `${folder}/${file}`
/** The web app's CSS and scripts are assets of their own: served from memory, never written out. */
export const webAssetKey = (name: WebAsset) => `web/${name}`

export const RUNTIME_DIR_VARIABLE = 'MENTORMATCHR_RUNTIME_DIR'

/**
 * Where the executable writes the files it must hand to the system (the native addon cannot be
 * loaded from memory): a per-user cache folder, not /tmp, which is often mounted noexec.
 */
export function runtimeDir (): string {
  return process.env[RUNTIME_DIR_VARIABLE] ||
    join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'mentormatchr')
}

/**
 * Writes an embedded folder to `<runtime dir>/<name>-<hash>` unless it is there already, and answers
 * its path. The content hash in the name means a folder is never stale; writing to a temporary
 * folder then renaming means a folder is never half-written, even when many instances start at once.
 */
function materialize (manifest: Manifest, name: EmbeddedFolder): string {
  const { hash, files } = manifest[name]
  const target = join(runtimeDir(), `${name}-${hash}`)
  if (existsSync(target)) return target
  let staging: string
  try {
    makeFolders(runtimeDir(), 0o700)
    staging = mkdtempSync(`${target}.tmp-`)
  } catch (error) {
    throw new ConfigurationError(`Cannot write the executable's own files to ${runtimeDir()}: ${(error as Error).message}. ` +
      `Set ${RUNTIME_DIR_VARIABLE} to a folder this user can write`)
  }
  try {
    for (const file of files) {
      makeFolders(dirname(join(staging, file)))
      writeFileSync(join(staging, file), new Uint8Array(sea.getAsset(assetKey(name, file))))
    }
    renameSync(staging, target)
  } catch (error) {
    rmSync(staging, { recursive: true, force: true })
    // Another instance renamed its copy first: the same content under the same name.
    if (!existsSync(target)) throw error
  }
  return target
}

/**
 * What app.ts needs to run inside the single executable: the route list found at build time, the
 * native addon and the migrations written out from the assets, Swagger UI's files, and the web
 * app's CSS and scripts. Empty when running from source, where app.ts reads routes/, db/migrations
 * and node_modules itself.
 */
export function embeddedAppOptions (): Pick<AppOptions, 'routes' | 'database' | 'docs' | 'web'> {
  if (!sea.isSea()) return {}
  if (!routeFolders) throw new Error('This executable was built without its route list')
  const manifest = JSON.parse(sea.getAsset(MANIFEST_ASSET, 'utf8')) as Manifest
  const addon = { exports: {} }
  process.dlopen(addon, join(materialize(manifest, 'better-sqlite3'), 'better_sqlite3.node'))
  const migrationsFolder = materialize(manifest, 'migrations')
  return {
    routes: routeFolders,
    // better-sqlite3 accepts the loaded addon itself, though its types name only a path.
    database: { nativeBinding: addon.exports as string, migrate: (db) => migrate(db, { migrationsFolder }) },
    docs: { staticDir: materialize(manifest, 'swagger-ui') },
    web: { readAsset: (name) => Buffer.from(sea.getAsset(webAssetKey(name))) }
  }
}
