import { pipeline, Readable } from 'node:stream'
import type Database from 'better-sqlite3'
import { stringify } from 'csv-stringify'
import type { Scope } from './tenancy'

export const EXPORTS = ['people', 'profiles', 'matches', 'meetings'] as const
export type ExportName = (typeof EXPORTS)[number]
export const EXPORT_FORMATS = ['csv', 'json'] as const
export type ExportFormat = (typeof EXPORT_FORMATS)[number]

/** A connection that reads while the app's own keeps writing, closed once the export is done. */
export interface Reader {
  connection: Database.Database
  close (): void
}

interface ExportQuery {
  /** The columns, in order: what the CSV header and each JSON object hold. Never a secret. */
  columns: string[]
  /** The SELECT, given the condition that keeps it to one organization (empty: every organization). */
  select: (inScope: (alias: string) => string) => string
}

const user = (alias: string, prefix: string) =>
  `${alias}.email AS ${prefix}email, ${alias}.first_name AS ${prefix}first_name, ${alias}.last_name AS ${prefix}last_name`
const record = (alias: string) => `${alias}.organization_id, ${alias}.deleted, ${alias}.created_at, ${alias}.updated_at`
const RECORD = ['organization_id', 'deleted', 'created_at', 'updated_at']

/**
 * What each export reads, oldest first. People leave out the password hash and the GitHub id
 * (what links an account); no export reads invitations or notifications, whose tokens and texts
 * are no part of a cohort's records.
 */
const QUERIES: Record<ExportName, ExportQuery> = {
  people: {
    columns: ['id', 'email', 'first_name', 'last_name', 'role', 'street', 'city', 'state', 'zipcode', 'country', 'avatar_url', 'github_login', ...RECORD],
    select: (inScope) => `SELECT u.id, u.email, u.first_name, u.last_name, u.role, u.street, u.city, u.state, u.zipcode, u.country,
      u.avatar_url, u.github_login, ${record('u')} FROM users u ${inScope('u')} ORDER BY u.id`
  },
  profiles: {
    columns: ['kind', 'id', 'user_id', 'email', 'first_name', 'last_name', 'status', 'capacity', 'bio', 'lambda_week', 'desired_zip',
      'interests', 'application_answers', 'wanted_mentor_id', ...RECORD],
    select: (inScope) => `SELECT * FROM (SELECT 'MENTOR' AS kind, p.id, p.user_id, ${user('u', '')}, p.status, p.capacity, p.bio,
        NULL AS lambda_week, NULL AS desired_zip, NULL AS interests, NULL AS application_answers, NULL AS wanted_mentor_id, ${record('p')}
        FROM mentors p JOIN users u ON u.id = p.user_id ${inScope('p')} ORDER BY p.id)
      UNION ALL
      SELECT * FROM (SELECT 'MENTEE', p.id, p.user_id, ${user('u', '')}, p.status, NULL, NULL,
        p.lambda_week, p.desired_zip, p.interests, p.application_answers, p.wanted_mentor_id, ${record('p')}
        FROM mentees p JOIN users u ON u.id = p.user_id ${inScope('p')} ORDER BY p.id)`
  },
  matches: {
    columns: ['id', 'status', 'match_score', 'start_date', 'end_date', 'cancel_reason', 'mentor_id', 'mentor_email', 'mentor_first_name',
      'mentor_last_name', 'mentee_id', 'mentee_email', 'mentee_first_name', 'mentee_last_name', ...RECORD],
    select: (inScope) => `SELECT m.id, m.status, m.match_score, m.start_date, m.end_date, m.cancel_reason,
      m.mentor_id, ${user('tu', 'mentor_')}, m.mentee_id, ${user('lu', 'mentee_')}, ${record('m')}
      FROM matches m JOIN mentors t ON t.id = m.mentor_id JOIN users tu ON tu.id = t.user_id
      JOIN mentees l ON l.id = m.mentee_id JOIN users lu ON lu.id = l.user_id ${inScope('m')} ORDER BY m.id`
  },
  meetings: {
    columns: ['id', 'match_id', 'meeting_date', 'location', 'notes', 'rating', ...RECORD],
    select: (inScope) => `SELECT g.id, g.match_id, g.meeting_date, g.location, g.notes, g.rating, ${record('g')}
      FROM meetings g ${inScope('g')} ORDER BY g.id`
  }
}

export interface ExportOptions {
  /** Told how many rows have been read, every thousand rows and at the end: a long run's progress. */
  onRows?: (count: number) => void
}

const PROGRESS_EVERY = 1000

/** JSON text is gathered into chunks of about this size: one write per row would cost more than the row. */
const CHUNK = 64 * 1024

/** The rows as one JSON array, written a chunk at a time. */
function * jsonArray (rows: Iterable<unknown>): Generator<string> {
  let chunk = '['
  let separator = ''
  for (const row of rows) {
    chunk += separator + JSON.stringify(row)
    separator = ','
    if (chunk.length >= CHUNK) {
      yield chunk
      chunk = ''
    }
  }
  yield `${chunk}]\n`
}

/**
 * Exports of an organization's records (the ADMINISTRATOR's scope: every organization's), as CSV
 * or JSON streams. Each export is one statement iterated on its own reader connection: one
 * consistent snapshot, read a row at a time only as fast as the stream is consumed, so that
 * 100,000 rows never sit in memory and the app's connection stays free for everyone else.
 */
export function createExports (openReader: () => Reader) {
  return {
    columnsOf: (what: ExportName) => QUERIES[what].columns,

    /** The export as a stream of text; its reader closes when the stream ends, fails or is abandoned. */
    stream (scope: Scope, what: ExportName, format: ExportFormat, { onRows }: ExportOptions = {}): Readable {
      const reader = openReader()
      try {
        const { columns, select } = QUERIES[what]
        const organization = scope.organizationId
        const statement = reader.connection.prepare(select((alias) => organization === null ? '' : `WHERE ${alias}.organization_id = @organization`))
        const rows = (function * () {
          let count = 0
          for (const row of statement.iterate(organization === null ? {} : { organization }) as Iterable<Record<string, unknown>>) {
            yield { ...row, deleted: row.deleted === 1 }
            if (++count % PROGRESS_EVERY === 0) onRows?.(count)
          }
          onRows?.(count)
        })()
        const output = format === 'csv'
          ? pipeline(Readable.from(rows), stringify({ header: true, columns, cast: { boolean: (value) => String(value) } }), () => {})
          : Readable.from(jsonArray(rows))
        let closed = false
        const close = () => {
          if (closed) return
          closed = true
          // An abandoned export stops its statement before its connection closes.
          rows.return(undefined)
          reader.close()
        }
        output.once('close', close)
        output.once('end', close)
        output.once('error', close)
        return output
      } catch (error) {
        reader.close()
        throw error
      }
    }
  }
}

export type Exports = ReturnType<typeof createExports>
