/**
 * `npm run build:binary`: dist/mentormatchr, one executable holding Node.js, the whole server and
 * everything it reads from disk when run from source.
 *
 * 1. esbuild bundles server.ts (the CLI) as CommonJS. @fastify/autoload cannot read folders inside
 *    a bundle, so binary/routes.ts is replaced, in the bundle only, by a module importing every
 *    route folder of routes/ found with autoload's rules (scripts/route-folders.ts).
 * 2. Node's single executable application blob: binary/main.ts as its main script, and as assets
 *    the bundle, V8's code cache for it (binary/code-cache.ts), the folders the code needs as files
 *    (better-sqlite3's native addon, db/migrations and Swagger UI's files, plus a manifest naming
 *    each folder's files and content hash: binary/runtime.ts), the web app's CSS and scripts
 *    (web/assets.ts), which are served from memory, and the third-party notices of all it holds
 *    (scripts/third-party-notices.ts).
 * 3. A copy of the embedded Node.js (a supported LTS pinned in binary/embedded-node, not this
 *    machine's node: scripts/embedded-node.ts), stripped of its debug symbols, with the blob
 *    injected by postject. The addon is compiled for that Node, and the blob made by it.
 * 4. The code cache: a first executable, with an empty cache, starts its server on an empty database
 *    and writes the cache as it exits; the blob is made again with it, and the executable with that.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative, resolve } from 'node:path'
import { build } from 'esbuild'
import { BUNDLE_ASSET, CODE_CACHE_ASSET, DEBUG_SECTION, WRITE_CODE_CACHE_VARIABLE } from '../binary/code-cache'
import { NODE_FLAGS } from '../commands/node-flags'
import { assetKey, EMBEDDED_FOLDERS, type EmbeddedFolder, MANIFEST_ASSET, type Manifest, RUNTIME_DIR_VARIABLE, webAssetKey } from '../binary/runtime'
import { NOTICES_ASSET } from '../binary/notices'
import { license, version } from '../package.json'
import { assetPath, WEB_ASSET_NAMES } from '../web/assets'
import { betterSqliteAddon, type EmbeddedNode, embeddedNode } from './embedded-node'
import { freePort, untilHealthy } from './local-process'
import { findRouteFolders, type RouteFolderFiles } from './route-folders'
import { components, noticesText, swaggerUiRelease } from './third-party-notices'

const ROOT = resolve(__dirname, '..')
/** `tsx scripts/build-binary.ts [file]`: dist/mentormatchr unless another file is named (the tests do). */
const BINARY = resolve(process.argv[2] ?? join(ROOT, 'dist', 'mentormatchr'))
const WORK = join(dirname(BINARY), 'build')
const BUNDLE = join(WORK, 'mentormatchr.cjs')
const MAIN = join(WORK, 'main.cjs')
const CODE_CACHE = join(WORK, 'mentormatchr.cjs.cache')
const NOTICES = join(WORK, NOTICES_ASSET)
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

const esbuildTarget = (node: EmbeddedNode) => `node${node.version.slice(1).split('.')[0]}`

/** Bundles server.ts; answers the files it holds, relative to the working folder. */
async function bundle (folders: RouteFolderFiles[], node: EmbeddedNode): Promise<string[]> {
  const placeholder = join(ROOT, 'binary', 'routes.ts')
  const result = await build({
    entryPoints: [join(ROOT, 'server.ts')],
    outfile: BUNDLE,
    bundle: true,
    platform: 'node',
    target: esbuildTarget(node),
    // binary/main.ts runs it as a CommonJS module.
    format: 'cjs',
    // No keepNames: it wraps every function in a __name() call, 14% of the CPU of a cheap route.
    // Nothing reads function names: plugins are named in their options, errors by their class.
    // Resolved only when running from source (plugins/docs.ts); the executable brings its own copy.
    external: ['@fastify/swagger-ui/package.json'],
    // The licences travel whole in the third-party notices (`mentormatchr licenses`), not as comments.
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
  return inputs
}

/**
 * The third-party notices of every package the executable embeds something of: the bundle's code,
 * the web app's files, Swagger UI's (with the release they are copies of), and Node.js itself. The
 * addon is built from better-sqlite3's sources, whose code is in the bundle too.
 */
function notices (bundled: string[], node: EmbeddedNode): void {
  const swaggerUi = sources(node)['swagger-ui']
  const files = [
    ...bundled.map((file) => resolve(file)),
    ...WEB_ASSET_NAMES.map(assetPath),
    ...swaggerUi.files.map((file) => join(swaggerUi.dir, file)),
    node.executable
  ]
  const about = `The single executable of MentorMatchr ${version} (${license} licence) holds the software of these packages, ` +
    'each under its own licence, whose files follow the list.'
  writeFileSync(NOTICES, noticesText(about, components(files, [swaggerUiRelease(ROOT)])))
}

/** binary/main.ts, which runs the bundle; a single executable's main script must be CommonJS. */
async function mainScript (node: EmbeddedNode): Promise<void> {
  await build({
    entryPoints: [join(ROOT, 'binary', 'main.ts')],
    outfile: MAIN,
    bundle: true,
    platform: 'node',
    target: esbuildTarget(node),
    format: 'cjs',
    logLevel: 'warning'
  })
}

function seaBlob (node: EmbeddedNode): void {
  const manifest = {} as Manifest
  const assets: Record<string, string> = {
    [MANIFEST_ASSET]: join(WORK, MANIFEST_ASSET),
    [BUNDLE_ASSET]: BUNDLE,
    [CODE_CACHE_ASSET]: CODE_CACHE,
    [NOTICES_ASSET]: NOTICES
  }
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
    main: MAIN,
    output: BLOB,
    disableExperimentalSEAWarning: true,
    // The main script is a few lines; the bundle has its own cache.
    useCodeCache: false,
    execArgv: NODE_FLAGS,
    assets
  }, null, 2))
  execFileSync(node.executable, ['--experimental-sea-config', config], { stdio: 'inherit' })
}

/** The embedded Node with the blob injected, as `target`. */
function executable (node: EmbeddedNode, target: string): void {
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
  renameSync(staging, target)
}

/**
 * Starts `first`'s server on an empty database in a folder of its own until it answers /health,
 * then stops it; as it exits, binary/main.ts writes V8's code cache for all that it compiled. It is
 * the executable itself, with its flags, that makes the cache: V8 rejects one made under other flags.
 */
async function writeCodeCache (first: string): Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), 'mentormatchr-code-cache-'))
  try {
    const port = await freePort()
    const server = spawn(first, ['serve'], {
      cwd: folder,
      // Only what the start needs: none of the builder's own settings (SMTP, OAuth) come along.
      env: {
        PATH: process.env.PATH,
        [WRITE_CODE_CACHE_VARIABLE]: CODE_CACHE,
        [RUNTIME_DIR_VARIABLE]: join(folder, 'runtime'),
        DATABASE_PATH: join(folder, 'mentormatchr.db'),
        JWT_SECRET: randomBytes(32).toString('hex'),
        HOST: '127.0.0.1',
        PORT: String(port),
        LOG_LEVEL: 'warn'
      },
      stdio: ['ignore', 'ignore', 'inherit']
    })
    const exited = once(server, 'exit')
    try {
      await untilHealthy(`http://127.0.0.1:${port}`, server, 'The executable\'s server')
    } finally {
      server.kill('SIGTERM')
      await exited
    }
  } finally {
    rmSync(folder, { recursive: true, force: true })
  }
  if (statSync(CODE_CACHE).size === 0) throw new Error('The executable wrote no code cache')
}

/** V8 silently compiles the bundle afresh when it rejects a code cache: the build says so loudly. */
function checkCodeCache (binary: string): void {
  const { stderr } = spawnSync(binary, ['--version'], { env: { ...process.env, NODE_DEBUG: DEBUG_SECTION }, encoding: 'utf8' })
  if (!/code cache accepted/.test(stderr)) throw new Error(`The executable does not use its code cache:\n${stderr}`)
}

async function main (): Promise<void> {
  const started = performance.now()
  rmSync(WORK, { recursive: true, force: true })
  mkdirSync(WORK, { recursive: true })
  const node = embeddedNode()
  const folders = findRouteFolders(join(ROOT, 'routes'))
  const [bundled] = await Promise.all([bundle(folders, node), mainScript(node)])
  notices(bundled, node)
  writeFileSync(CODE_CACHE, '')
  seaBlob(node)
  const first = join(WORK, 'without-code-cache')
  executable(node, first)
  await writeCodeCache(first)
  seaBlob(node)
  executable(node, BINARY)
  checkCodeCache(BINARY)
  const megabytes = (path: string) => `${(statSync(path).size / 1024 / 1024).toFixed(1)} MB`
  console.log(`${relative(ROOT, BINARY)}: ${megabytes(BINARY)} (bundle ${megabytes(BUNDLE)}, code cache ${megabytes(CODE_CACHE)}, ${folders.length} route folders, ` +
    `node ${node.version}), built in ${((performance.now() - started) / 1000).toFixed(1)} s`)
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
