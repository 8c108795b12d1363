import { mkdirSync, statSync } from 'node:fs'
import { dirname } from 'node:path'

/**
 * `mkdir -p`: makes `folder` and the folders above it that are missing, each with `mode`. Node's own
 * `mkdirSync(folder, { recursive: true })` never returns, at full CPU, when a folder above answers
 * ENOENT for a child it cannot hold, as procfs does (a DATABASE_PATH under /proc): it makes the
 * parent, which exists, and tries the child again, forever. Here a folder is tried again only once
 * its parent has been made, and a second refusal is final.
 */
export function makeFolders (folder: string, mode?: number): void {
  try {
    makeFolder(folder, mode)
  } catch (error) {
    const parent = dirname(folder)
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || parent === folder) throw error
    makeFolders(parent, mode)
    makeFolder(folder, mode)
  }
}

/** One folder: one that exists already will do (another process may have made it), a file in its place will not. */
function makeFolder (folder: string, mode: number | undefined): void {
  try {
    mkdirSync(folder, { mode })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || !statSync(folder).isDirectory()) throw error
  }
}
