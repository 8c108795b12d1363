/**
 * The single executable's main script: it runs the bundle, an asset, with V8's code cache for it.
 *
 * Node's own code cache for a main script (the blob's useCodeCache) is made before the script runs,
 * so it holds only the functions compiled eagerly; every other one a start runs was compiled anew on
 * each start. This cache is made at build time after a start of the server (scripts/build-binary.ts),
 * so it holds all of them: a start to a healthy /health fell from 548 to 462 ms (a median of 10).
 */
import { writeFileSync } from 'node:fs'
import sea from 'node:sea'
import { debuglog } from 'node:util'
import { Script } from 'node:vm'
import { useDefaultHeapGrowth } from '../commands/node-flags'
import { BUNDLE_ASSET, CODE_CACHE_ASSET, DEBUG_SECTION, WRITE_CODE_CACHE_VARIABLE } from './code-cache'

/** A view of the executable's own pages, not a copy (@types/node 20 says string | ArrayBuffer; Node's documentation, ArrayBuffer). */
const rawAsset = (key: string) => sea.getRawAsset(key) as ArrayBuffer
const source = Buffer.from(rawAsset(BUNDLE_ASSET)).toString('utf8')
const cache = new Uint8Array(rawAsset(CODE_CACHE_ASSET))

// The bundle is CommonJS: it is called with what Node gives a module, builtins-only require included.
const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
  filename: BUNDLE_ASSET,
  cachedData: cache.byteLength > 0 ? cache : undefined
})
debuglog(DEBUG_SECTION)(cache.byteLength === 0 ? 'no code cache' : `code cache ${script.cachedDataRejected ? 'rejected' : 'accepted'}`)

const cacheFile = process.env[WRITE_CODE_CACHE_VARIABLE]
if (cacheFile) {
  process.on('exit', () => {
    // The server changed a flag that V8 checks a code cache against (commands/node-flags.ts).
    useDefaultHeapGrowth()
    writeFileSync(cacheFile, script.createCachedData())
  })
}

script.runInThisContext()(exports, require, module, __filename, __dirname)
