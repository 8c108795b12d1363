import { renameSync, rmSync, statSync } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import Database from 'better-sqlite3'
import type { FastifyInstance } from 'fastify'
import type { DatabaseOptions } from '../db/connection'
import { makeFolders } from '../db/folders'
import { CommandError } from './errors'

export interface BackupResult {
  file: string
  bytes: number
}

/**
 * Copies the live database to `target` with SQLite's online backup, which reads a consistent
 * snapshot while the server keeps writing. The copy is written under a temporary name beside the
 * target, turned into one self-contained file (rollback journal, not WAL), and must pass
 * `PRAGMA integrity_check` before it is renamed to `target`: a backup that exists is a good one.
 */
export async function backup (app: FastifyInstance, target: string, database: DatabaseOptions = {}): Promise<BackupResult> {
  const source = app.config.DATABASE_PATH
  const file = resolve(target)
  if (source === ':memory:') throw new CommandError('The database is in memory: there is nothing on disk to back up')
  if (file === resolve(source)) throw new CommandError(`${target} is the live database itself: choose another file`)
  makeFolders(dirname(file))
  const temporary = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`)
  try {
    await app.sqlite.backup(temporary)
    const copy = new Database(temporary, { nativeBinding: database.nativeBinding })
    try {
      copy.pragma('journal_mode = DELETE')
      const verdict = copy.pragma('integrity_check', { simple: true })
      if (verdict !== 'ok') throw new CommandError(`The copy failed its integrity check (${String(verdict)}): nothing was kept`)
    } finally {
      copy.close()
    }
    renameSync(temporary, file)
  } catch (error) {
    rmSync(temporary, { force: true })
    throw error
  }
  return { file, bytes: statSync(file).size }
}
