import type { PreparedQueryConfig, SQLitePreparedQuery } from 'drizzle-orm/sqlite-core'

type Runs = 'run' | 'all' | 'get' | 'values'

/**
 * A statement prepared on its first use, and kept. drizzle builds a statement's SQL in about a
 * millisecond: preparing every statement made outside a scope (`perScope` makes the others on first
 * use) cost each start 20-30 ms, for statements that many starts never run (the jobs', the emails').
 */
export function preparedOnFirstUse<Q extends SQLitePreparedQuery<PreparedQueryConfig>> (prepare: () => Q): Pick<Q, Runs> {
  let prepared: Q | undefined
  const statement = () => (prepared ??= prepare())
  return {
    run: (values) => statement().run(values),
    all: (values) => statement().all(values),
    get: (values) => statement().get(values),
    values: (values) => statement().values(values)
  } as Pick<Q, Runs>
}
