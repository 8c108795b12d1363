import { BoundedMap } from './bounded-map'
import type { User } from './caller'
import { otherCommits } from './other-commits'
import { Scope, type Store } from './tenancy'

/** Enough for every active user of a large installation; past it, the oldest entry makes room. */
const CAPACITY = 10_000

/**
 * The users tokens name, kept in memory so that authenticating a request reads no row. Everything
 * kept is dropped as soon as the users may have changed: a write of this process to the users
 * (role, deletion, restore) or to the organizations (whose erasure cascades to their users), or a
 * commit of another connection to the same file (a CLI command), which `otherCommits` reveals from
 * the next turn of the event loop. Reads made inside a transaction are not kept: it may still roll back.
 */
export function signedInUsers ({ db, tables }: Store) {
  const sqlite = db.$client
  const dataVersion = otherCommits(sqlite)
  const kept = new BoundedMap<number, Readonly<User>>(CAPACITY)
  let keptAt = { writes: -1, dataVersion: -1 }

  function dropIfStale (): void {
    const writes = tables.users.writes + tables.organizations.writes
    const version = dataVersion()
    if (writes === keptAt.writes && version === keptAt.dataVersion) return
    kept.clear()
    keptAt = { writes, dataVersion: version }
  }

  /** The user, if they exist and are not deleted; frozen, since every request shares it. */
  return (id: number): Readonly<User> | undefined => {
    dropIfStale()
    const known = kept.get(id)
    if (known) return known
    const user = tables.users.find(Scope.acrossOrganizations, id)
    if (!user || sqlite.inTransaction) return user
    kept.set(id, Object.freeze(user))
    return user
  }
}
