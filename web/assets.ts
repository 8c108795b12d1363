import { readFileSync } from 'node:fs'
import { join } from 'node:path'

/**
 * The files the pages load, all from 'self' (the Content-Security-Policy allows nothing else): Pico's
 * CSS and htmx, vendored from npm, and our own small stylesheet. The single executable
 * carries the same files as assets (scripts/build-binary.ts).
 */
export const WEB_ASSETS = {
  'pico.min.css': { module: '@picocss/pico/css/pico.min.css', type: 'text/css; charset=utf-8' },
  'htmx.min.js': { module: 'htmx.org/dist/htmx.min.js', type: 'text/javascript; charset=utf-8' },
  'app.css': { file: join(__dirname, 'static', 'app.css'), type: 'text/css; charset=utf-8' }
} as const satisfies Record<string, { module?: string, file?: string, type: string }>

export type WebAsset = keyof typeof WEB_ASSETS
export const WEB_ASSET_NAMES = Object.keys(WEB_ASSETS) as WebAsset[]

/** Where an asset is on disk when running from source. */
export function assetPath (name: WebAsset): string {
  const asset: { module?: string, file?: string } = WEB_ASSETS[name]
  return asset.file ?? require.resolve(asset.module!)
}

/** Reads every asset once, at start: from disk, or through `read` (the executable's embedded copies). */
export function loadAssets (read: (name: WebAsset) => Buffer = (name) => readFileSync(assetPath(name))) {
  return new Map(WEB_ASSET_NAMES.map((name) => [name, { body: read(name), type: WEB_ASSETS[name].type }]))
}
