/**
 * Why the domain refused: the kinds of refusal a caller can act on. The HTTP layer maps each kind to
 * its status code (plugins/errors.ts); the CLI prints the message.
 */
export type RefusalKind =
  | 'invalid' // the input names something that cannot be used
  | 'unauthenticated' // the caller could not be told apart from anyone
  | 'forbidden' // the caller may see the record but not do this
  | 'not-found' // no such record, or one of another organization
  | 'conflict' // the state of the data does not allow it now
  | 'gone' // it existed but can no longer be used (an expired invitation)

/** A refusal whose message is meant for the caller. */
export class Refusal extends Error {
  constructor (readonly kind: RefusalKind, message: string) {
    super(message)
    this.name = 'Refusal'
  }
}

export const invalid = (message: string) => new Refusal('invalid', message)
export const unauthenticated = (message: string) => new Refusal('unauthenticated', message)
export const forbidden = (message = 'Not authorized') => new Refusal('forbidden', message)
export const notFound = (what: string) => new Refusal('not-found', `${what} not found`)
export const conflict = (message: string) => new Refusal('conflict', message)
export const gone = (message: string) => new Refusal('gone', message)

/** The SQLite error behind a failure, if there is one (drizzle wraps them). */
export function sqliteError (error: unknown): { code: string, message: string } | undefined {
  for (let cause = error; cause instanceof Error; cause = cause.cause) {
    const code = (cause as { code?: unknown }).code
    if (typeof code === 'string' && code.startsWith('SQLITE_')) return { code, message: cause.message }
  }
  return undefined
}

export function isUniqueViolation (error: unknown): boolean {
  const code = sqliteError(error)?.code
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
}

/** Runs `write`; a UNIQUE refusal of the database becomes a 409 that says what already exists. */
export function refusingDuplicates<T> (write: () => T, duplicate: () => string): T {
  try {
    return write()
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(duplicate())
    throw error
  }
}
