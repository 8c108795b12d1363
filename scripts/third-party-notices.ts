/**
 * The third-party notices the single executable carries (`mentormatchr licenses`): every npm package
 * whose code or files it embeds, with the licence files that package ships. MIT, BSD, ISC and Apache
 * licences ask that their notice travel with every copy, and the executable is a copy of them all.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

/**
 * LICENSE, LICENCE.md, COPYING, NOTICE.txt, license-MIT, ...; and the licence comments webpack takes
 * out of a bundle it makes (swagger-ui-bundle.js.LICENSE.txt): the notices of the code inside it.
 */
const LICENCE_FILE = /^(licen[cs]e|copying|notice)([.-].*)?$|\.licen[cs]e\.txt$/i

export interface Component {
  name: string
  version: string
  /** As its package.json declares it: an SPDX expression, usually. */
  licence: string
  /** Its licence files, by name. */
  texts: Array<{ file: string, text: string }>
}

interface PackageManifest {
  name: string
  version: string
  license?: string | { type?: string }
  licenses?: Array<{ type?: string }>
  devDependencies?: Record<string, string>
}

const manifestOf = (folder: string) => JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as PackageManifest

/** The folder of the package a file belongs to: the last node_modules/<name> or node_modules/@scope/<name> on its path. */
export function packageFolder (file: string): string | undefined {
  return /^(.*[\\/]node_modules[\\/](?:@[^\\/]+[\\/])?[^\\/]+)[\\/]/.exec(file)?.[1]
}

function declaredLicence (manifest: PackageManifest): string {
  if (typeof manifest.license === 'string') return manifest.license
  // Old packages wrote an object, or a list of them.
  const types = [manifest.license?.type, ...(manifest.licenses ?? []).map((licence) => licence.type)].filter(Boolean)
  return types.length > 0 ? types.join(' OR ') : 'not declared'
}

function component (folder: string): Component {
  const manifest = manifestOf(folder)
  const texts = readdirSync(folder).filter((file) => LICENCE_FILE.test(file)).sort()
    .map((file) => ({ file, text: readFileSync(join(folder, file), 'utf8').trim() }))
  return { name: manifest.name, version: manifest.version, licence: declaredLicence(manifest), texts }
}

/**
 * The packages these files come from, each name and version once (a package installed in several
 * places is one component); files outside node_modules are MentorMatchr's own. `packages`: folders
 * of packages that no file's path names (files copied out of a package that is not installed).
 */
export function components (files: string[], packages: string[] = []): Component[] {
  const folders = new Set([...files.flatMap((file) => packageFolder(file) ?? []), ...packages])
  const byRelease = new Map<string, Component>()
  for (const folder of folders) {
    const found = component(folder)
    const release = `${found.name}@${found.version}`
    if (!byRelease.has(release)) byRelease.set(release, found)
  }
  return [...byRelease.values()].sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version, 'en', { numeric: true }))
}

/**
 * The folder of the licence files of Swagger UI (swagger-ui-dist, Apache-2.0), whose files
 * @fastify/swagger-ui copies into its own static folder without installing the package:
 * binary/swagger-ui-dist keeps them. Throws if @fastify/swagger-ui copies another release, whose
 * notices would then be the wrong ones.
 */
export function swaggerUiRelease (root: string): string {
  const kept = join(root, 'binary', 'swagger-ui-dist')
  const copied = manifestOf(join(root, 'node_modules', '@fastify', 'swagger-ui')).devDependencies?.['swagger-ui-dist']
  const keptVersion = manifestOf(kept).version
  if (copied !== keptVersion) {
    throw new Error(`@fastify/swagger-ui holds the files of swagger-ui-dist ${copied}, binary/swagger-ui-dist the licence files of ${keptVersion}: ` +
      `replace them with those of the package swagger-ui-dist@${copied} (npm pack swagger-ui-dist@${copied}), and its version in package.json there`)
  }
  return kept
}

/** The notices as one text: a list of the components, then each one's licence files in full. */
export function noticesText (about: string, found: Component[]): string {
  const rule = '='.repeat(78)
  const list = found.map((each) => `  ${each.name} ${each.version} (${each.licence})`)
  const sections = found.map((each) => {
    const texts = each.texts.length > 0
      ? each.texts.map(({ file, text }) => `--- ${file} ---\n${text}`)
      : [`The package ships no licence file; its package.json declares: ${each.licence}.`]
    return `${rule}\n${each.name} ${each.version}\n${rule}\n${texts.join('\n\n')}`
  })
  return `${about}\n\n${list.join('\n')}\n\n${sections.join('\n\n')}\n`
}
