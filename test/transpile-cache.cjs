'use strict'
/**
 * How tap's ts-node turns the TypeScript of the app and its tests into JavaScript (tsconfig.json's
 * "ts-node"): TypeScript's own transpileModule, as ts-node does in its transpile-only mode, and the
 * same to the byte (code, source map and diagnostics, compared on every file of the repository), but
 * kept on disk per file and compiler options, and used again while the file's content is the same.
 * Every test process transpiled the same 170-odd files anew: 3 s of CPU each, a fifth of the suite's.
 * The coverage reads the same code and the same source maps.
 *
 * Written in JavaScript: ts-node loads it before it can load TypeScript.
 */
const { createHash } = require('node:crypto')
const { mkdirSync, readFileSync, renameSync, writeFileSync } = require('node:fs')
const { join } = require('node:path')
const ts = require('typescript')

const CACHE = join(__dirname, '..', 'node_modules', '.cache', 'mentormatchr-transpiled')

const sha256 = (...parts) => {
  const hash = createHash('sha256')
  for (const part of parts) hash.update(part).update('\0')
  return hash.digest('hex')
}

/** ts-node's transpiler factory: called once per set of compiler options (the module kind varies). */
exports.create = ({ service }) => {
  const compilerOptions = service.config.options
  // What else decides the output: TypeScript's version, the options, and this file (a change here starts a new cache).
  const optionsKey = sha256(ts.version, JSON.stringify(compilerOptions), readFileSync(__filename))
  mkdirSync(CACHE, { recursive: true })
  return {
    transpile (input, { fileName }) {
      // One entry per file, overwritten when the file changes: the cache holds as many entries as there are files.
      const entry = join(CACHE, `${sha256(optionsKey, fileName)}.json`)
      const inputHash = sha256(input)
      try {
        const kept = JSON.parse(readFileSync(entry, 'utf8'))
        if (kept.inputHash === inputHash) return { outputText: kept.outputText, sourceMapText: kept.sourceMapText }
      } catch {
        // Not kept yet (or being replaced by another test process): transpiled below.
      }
      const { outputText, sourceMapText, diagnostics } = ts.transpileModule(input, { fileName, compilerOptions, reportDiagnostics: true })
      // A file TypeScript complains of is not kept: ts-node reports the diagnostics, every time.
      if (diagnostics.length > 0) return { outputText, sourceMapText, diagnostics }
      // Written whole under a private name, then renamed: the test processes running at once never read half an entry.
      const draft = `${entry}.${process.pid}`
      writeFileSync(draft, JSON.stringify({ inputHash, outputText, sourceMapText }))
      renameSync(draft, entry)
      return { outputText, sourceMapText }
    }
  }
}
