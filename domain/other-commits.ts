import type Database from 'better-sqlite3'

/** The connection's data_version as of the current turn of the event loop. */
export type DataVersion = () => number

const readers = new WeakMap<Database.Database, DataVersion>()

/**
 * SQLite's `PRAGMA data_version` of a connection, which changes when another connection to the
 * same file (a CLI command) commits: what tells the caches kept in memory (signed-in users, list
 * totals) that rows changed under them. It is read at most once per turn of the event loop.
 *
 * Reading it opens a read transaction, two fcntl locks and a stat in WAL mode, as dear as a
 * request's own read by key: read on every request, it doubled an authenticated read's system
 * calls against the bare server's. Once per turn is as exact for HTTP: the requests a turn handles
 * had arrived before it began (a client waits for each answer before sending the next), so a commit
 * made during the turn is concurrent with all of them, and a request sent once the command has
 * ended is handled in a later turn, which reads the new version. This connection's own writes are
 * not its business: the caches count those themselves, at once.
 */
export function otherCommits (sqlite: Database.Database): DataVersion {
  let reader = readers.get(sqlite)
  if (reader) return reader
  const statement = sqlite.prepare('PRAGMA data_version').pluck()
  let thisTurn: number | undefined
  const forget = () => { thisTurn = undefined }
  reader = () => {
    if (thisTurn === undefined) {
      thisTurn = statement.get() as number
      setImmediate(forget).unref()
    }
    return thisTurn
  }
  readers.set(sqlite, reader)
  return reader
}
