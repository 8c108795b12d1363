/**
 * `npm run build:binary`: dist/mentormatchr, one executable holding Node.js, the whole server and
 * everything it reads from disk when run from source.
 *
 * 1. esbuild bundles server.ts (the CLI) as CommonJS. @fastify/autoload cannot read folders inside
 *    a bundle, so binary/routes.ts is replaced, in the bundle only, by a module importing every
 *    route folder of routes/ found with autoload's rules (scripts/route-folders.ts).
 * 2. Node's single executable application blob: the bundle (with V8's code cache) and, as assets,
 *    the folders the code needs as files: better-sqlite3's native addon, db/migrations and Swagger
 *    UI's files, plus a manifest naming each folder's files and content hash (binary/runtime.ts);
 *    and the web app's CSS and scripts (web/assets.ts), which are served from memory.
 * 3. A copy of the embedded Node.js (a supported LTS pinned in binary/embedded-node, not this
 *    machine's node: scripts/embedded-node.ts), stripped of its debug symbols, with the blob
 *    injected by postject. The addon is compiled for that Node, and the blob made by it.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { chmodSync, copyFileSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { build } from 'esbuild'
import { NODE_FLAGS } from '../commands/node-flags'
import { assetKey, EMBEDDED_FOLDERS, type EmbeddedFolder, MANIFEST_ASSET, type Manifest, webAssetKey } from '../binary/runtime'
import { assetPath, WEB_ASSET_NAMES } from '../web/assets'
import { betterSqliteAddon, type EmbeddedNode, embeddedNode } from './embedded-node'
import { findRouteFolders, type RouteFolderFiles } from './route-folders'

const ROOT = resolve(__dirname, '..')
/** `tsx scripts/build-binary.ts [file]`: dist/mentormatchr unless another file is named (the tests do). */
const BINARY = resolve(process.argv[2] ?? join(ROOT, 'dist', 'mentormatchr'))
const WORK = join(dirname(BINARY), 'build')
const BUNDLE = join(WORK, 'mentormatchr.cjs')
const BLOB = join(WORK, 'sea-prep.blob')
// The fuse Node looks for to know it carries a blob (documented with single executable applications).
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2'

/** The files of a folder, recursively, as paths relative to it. */
function filesIn (dir: string, under = ''): string[] {
  return readdirSync(join(dir, under), { withFileTypes: true }).flatMap((entry) => {
    const path = join(under, entry.name)
    return entry.isDirectory() ? filesIn(dir, path) : [path]
  }).sort()
}

/** Where each embedded folder's files come from, and which of them are needed at run time. */
const sources = (node: EmbeddedNode): Record<EmbeddedFolder, { dir: string, files: string[] }> => ({
  'better-sqlite3': {
    dir: betterSqliteAddon(node),
    files: ['better_sqlite3.node']
  },
  migrations: {
    // drizzle's migrator reads the journal and the SQL; the snapshots serve drizzle-kit only.
    dir: join(ROOT, 'db', 'migrations'),
    files: filesIn(join(ROOT, 'db', 'migrations')).filter((file) => file.endsWith('.sql') || file === join('meta', '_journal.json'))
  },
  'swagger-ui': {
    dir: join(ROOT, 'node_modules', '@fastify', 'swagger-ui', 'static'),
    files: filesIn(join(ROOT, 'node_modules', '@fastify', 'swagger-ui', 'static'))
  }
})

function contentHash (dir: string, files: string[]): string {
  const hash = createHash('sha256')
  for (const file of files) hash.update(file).update('\0').update(readFileSync(join(dir, file))).update('\0')
  return hash.digest('hex').slice(0, 16)
}

/** The module that stands for binary/routes.ts in the bundle: every route folder, imported. */
function routeModule (folders: RouteFolderFiles[]): string {
  const names = new Map<string, string>()
  const nameOf = (file: string) => {
    if (!names.has(file)) names.set(file, `module${names.size}`)
    return names.get(file)!
  }
  const entries = folders.map((folder) =>
    `  { prefix: ${JSON.stringify(folder.prefix)}, routes: ${nameOf(folder.routes)} }`)
  const imports = [...names].map(([file, name]) => `import ${name} from ${JSON.stringify(file)}`)
  return `${imports.join('\n')}\n\nexport const routeFolders = [\n${entries.join(',\n')}\n]\n`
}

async function bundle (folders: RouteFolderFiles[], node: EmbeddedNode): Promise<void> {
  const placeholder = join(ROOT, 'binary', 'routes.ts')
  const result = await build({
    entryPoints: [join(ROOT, 'server.ts')],
    outfile: BUNDLE,
    bundle: true,
    platform: 'node',
    target: `node${node.version.slice(1).split('.')[0]}`,
    // A single executable's main script must be CommonJS.
    format: 'cjs',
    // No keepNames: it wraps every function in a __name() call, 14% of the CPU of a cheap route.
    // Nothing reads function names: plugins are named in their options, errors by their class.
    // Resolved only when running from source (plugins/docs.ts); the executable brings its own copy.
    external: ['@fastify/swagger-ui/package.json'],
    legalComments: 'none',
    // The bundle's text is held twice for the life of the process (the executable's mapped pages, and
    // V8's copy of the source for lazy compilation), and every start reads it: without whitespace,
    // comments and redundant syntax it falls from 5.9 MB to 4.2, a start ~90 ms shorter and a peak
    // ~5 MB lower. Identifiers keep their names, so stack traces still read as the source.
    minifyWhitespace: true,
    minifySyntax: true,
    logLevel: 'warning',
    metafile: true,
    plugins: [{
      name: 'route-folders',
      setup (esbuild) {
        esbuild.onLoad({ filter: /[\\/]binary[\\/]routes\.ts$/ }, (args) =>
          args.path === placeholder ? { contents: routeModule(folders), loader: 'ts', resolveDir: ROOT } : undefined)
      }
    }]
  })
  const inputs = Object.keys(result.metafile.inputs)
  const missing = folders.map((folder) => relative(ROOT, folder.routes)).filter((file) => !inputs.includes(file))
  if (missing.length > 0) throw new Error(`The bundle lacks route folders: ${missing.join(', ')}`)
  // esbuild escapes what lies outside ASCII, except in tagged templates (the pages' html``), whose
  // raw text it must keep. One character past Latin-1 there and V8 holds the whole 4 MB source
  // in two bytes per character, for the life of the process: the pages write entities instead.
  const lines = readFileSync(BUNDLE, 'utf8').split('\n')
  const wide = lines.flatMap((line, index) => /[\u0100-\uFFFF]/.test(line) ? [`${index + 1}: ${line.trim().slice(0, 100)}`] : [])
  if (wide.length > 0) throw new Error(`The bundle must hold Latin-1 only; write these characters as escapes or HTML entities:\n${wide.join('\n')}`)
}

function seaBlob (node: EmbeddedNode): void {
  const manifest = {} as Manifest
  const assets: Record<string, string> = { [MANIFEST_ASSET]: join(WORK, MANIFEST_ASSET) }
  const folders = sources(node)
  for (const name of EMBEDDED_FOLDERS) {
    const { dir, files } = folders[name]
    manifest[name] = { hash: contentHash(dir, files), files }
    for (const file of files) assets[assetKey(name, file)] = join(dir, file)
  }
  // The web app's CSS and scripts, read into memory at start (binary/runtime.ts).
  for (const name of WEB_ASSET_NAMES) assets[webAssetKey(name)] = assetPath(name)
  writeFileSync(join(WORK, MANIFEST_ASSET), JSON.stringify(manifest, null, 2))
  const config = join(WORK, 'sea-config.json')
  writeFileSync(config, JSON.stringify({
    main: BUNDLE,
    output: BLOB,
    disableExperimentalSEAWarning: true,
    useCodeCache: true,
    execArgv: NODE_FLAGS,
    assets
  }, null, 2))
  // The blob and its code cache are made by the Node that will run them, with the flags it runs them
  // with: V8 rejects a code cache made under other flags (--heap-growing-percent is part of the check),
  // and compiling the bundle instead cost the start about 80 ms.
  execFileSync(node.executable, [...NODE_FLAGS, '--experimental-sea-config', config], { stdio: 'inherit' })
}

function executable (node: EmbeddedNode): void {
  const staging = join(WORK, 'mentormatchr')
  copyFileSync(node.executable, staging)
  chmodSync(staging, 0o755)
  // node ships its debug symbols, which the executable does not need.
  try {
    execFileSync('strip', [staging], { stdio: 'inherit' })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    console.warn('strip (binutils) is not installed: the executable keeps node\'s debug symbols and is larger')
  }
  const postject = spawnSync(process.execPath,
    [require.resolve('postject/dist/cli.js'), staging, 'NODE_SEA_BLOB', BLOB, '--sentinel-fuse', SEA_FUSE], { encoding: 'utf8' })
  // postject warns about `.note` sections on Linux; the executable is fine, so only other lines are shown.
  const complaints = postject.stderr.split('\n').filter((line) => line && !/section name '\.note/.test(line))
  if (complaints.length > 0) console.error(complaints.join('\n'))
  if (postject.status !== 0) throw new Error(`postject failed with exit code ${postject.status}`)
  renameSync(staging, BINARY)
}

async function main (): Promise<void> {
  const started = performance.now()
  rmSync(WORK, { recursive: true, force: true })
  mkdirSync(WORK, { recursive: true })
  const node = embeddedNode()
  const folders = findRouteFolders(join(ROOT, 'routes'))
  await bundle(folders, node)
  seaBlob(node)
  executable(node)
  const megabytes = (path: string) => `${(statSync(path).size / 1024 / 1024).toFixed(1)} MB`
  console.log(`${relative(ROOT, BINARY)}: ${megabytes(BINARY)} (bundle ${megabytes(BUNDLE)}, ${folders.length} route folders, ` +
    `node ${node.version}), built in ${((performance.now() - started) / 1000).toFixed(1)} s`)
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
