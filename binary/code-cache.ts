/**
 * What the single executable's main script (binary/main.ts) and its build (scripts/build-binary.ts)
 * agree on: the assets holding the bundle and V8's code cache for it, and how the build has the
 * executable write that cache.
 */

/** The bundle: server.ts and everything it imports, as one CommonJS script. */
export const BUNDLE_ASSET = 'mentormatchr.cjs'
/** V8's code cache for the bundle, made by a start of the server; empty in the build's first pass. */
export const CODE_CACHE_ASSET = 'mentormatchr.cjs.cache'
/** Set by the build only: the file the executable writes its code cache to when it exits. */
export const WRITE_CODE_CACHE_VARIABLE = 'MENTORMATCHR_WRITE_CODE_CACHE'
/** `NODE_DEBUG=mentormatchr` makes the executable say on stderr whether V8 accepted the code cache. */
export const DEBUG_SECTION = 'mentormatchr'
