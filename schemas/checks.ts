import Ajv, { type Options } from 'ajv'
import addFormats from 'ajv-formats'
import { fullFormats } from 'ajv-formats/dist/formats'

// How a body is checked and how its problems read, wherever it arrives: a request's JSON (plugins/),
// a page's form (web/forms.ts), a row of an import.

export interface FieldProblem { field: string, message: string }

export interface AjvProblem {
  keyword: string
  instancePath: string
  message?: string
  params: Record<string, unknown>
}

/** The formats of our own, and those whose name alone does not tell what to send, in words. */
const FORMAT_MESSAGES: Record<string, string> = {
  'date-time': 'must be a date and time with its time zone, such as 2026-12-08T15:00:00Z',
  line: 'must be one line without control characters',
  prose: 'must not contain control characters (tabs and line breaks are fine)'
}

function describe (problem: AjvProblem, unknownField: string): FieldProblem {
  const path = problem.instancePath.slice(1).replaceAll('/', '.')
  const join = (name: unknown) => [path, name].filter(Boolean).join('.')
  switch (problem.keyword) {
    case 'required':
      return { field: join(problem.params.missingProperty), message: 'is required' }
    case 'additionalProperties':
      return { field: join(problem.params.additionalProperty), message: unknownField }
    case 'minLength':
      // Strings are trimmed first, so an empty or blank required string reads as missing.
      return { field: path, message: problem.params.limit === 1 ? 'is required' : problem.message ?? 'is too short' }
    case 'type':
      return { field: path, message: `must be ${String(problem.params.type).replaceAll(',', ' or ')}` }
    case 'format':
      return { field: path, message: FORMAT_MESSAGES[problem.params.format as string] ?? problem.message ?? 'is invalid' }
    case 'enum':
      return { field: path, message: `must be one of ${(problem.params.allowedValues as unknown[]).join(', ')}` }
    default:
      return { field: path, message: problem.message ?? 'is invalid' }
  }
}

/** What ajv found wrong, in words, one problem per field; `unknownField` says why a field not declared is refused. */
export function problemsOf (validation: readonly AjvProblem[], unknownField = 'is not allowed'): FieldProblem[] {
  const seen = new Set<string>()
  return validation.map((problem) => describe(problem, unknownField)).filter((problem) => {
    const key = problem.field
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

/** "email must match format "email"; role must be one of …": the problems in one sentence. */
export const summaryOf = (details: FieldProblem[]): string =>
  details.map((problem) => `${problem.field || 'value'} ${problem.message}`).join('; ')

/** Passwords are taken exactly as typed; every other string is trimmed before validation. */
const UNTRIMMED = new Set(['password', 'current_password'])
/** Email addresses compare without regard to case, so they are kept in lower case. */
const LOWER_CASED = new Set(['email'])

/**
 * Trims every string of a parsed body in place. It walks with its own stack rather than by
 * recursion, so that a body nested thousands deep is only refused by validation, never a crash.
 */
export function trimStrings (body: unknown): unknown {
  const pending: unknown[] = [body]
  while (pending.length > 0) {
    const value = pending.pop()
    if (value === null || typeof value !== 'object') continue
    const record = value as Record<string, unknown>
    for (const key of Object.keys(record)) {
      const item = record[key]
      if (UNTRIMMED.has(key)) continue
      if (typeof item === 'string') record[key] = LOWER_CASED.has(key) ? item.trim().toLowerCase() : item.trim()
      else pending.push(item)
    }
  }
  return body
}

const rfc3339DateTime = fullFormats['date-time'] as { validate: (value: string) => boolean }

/**
 * RFC 3339 as ajv-formats reads it, and also a moment that dates can hold: a leap second
 * (`23:59:60Z`) has no JavaScript Date, and years past 9999 have no ISO 8601 text of four digits.
 */
function isStorableDateTime (value: string): boolean {
  if (!rfc3339DateTime.validate(value)) return false
  const year = new Date(value).getUTCFullYear()
  return year >= 1 && year <= 9999
}

// eslint-disable-next-line no-control-regex -- control characters are exactly what these refuse
const ONE_LINE = /^[^\u0000-\u001F\u007F]*$/
// eslint-disable-next-line no-control-regex -- all but tab, line feed and carriage return
const PROSE = /^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]*$/

/** The server's validator with its formats; test/docs checks the document's examples with it too. */
export function compiler (options: Options): Ajv {
  // Checking each schema against JSON Schema's meta-schema first compiled that meta-schema in every
  // instance, 20-40 ms each on the executable's start, for schemas fixed in the code: the tests
  // check every route's schemas against it instead (test/server/schemas.test.ts).
  const ajv = new Ajv({ useDefaults: true, removeAdditional: false, strict: false, validateSchema: false, ...options })
  addFormats(ajv)
  ajv.addFormat('date-time', isStorableDateTime)
  ajv.addFormat('line', ONE_LINE)
  ajv.addFormat('prose', PROSE)
  return ajv
}

/**
 * The checker of request bodies (no coercion, every problem at once): the API's routes and the
 * pages' forms share it, so a form hears the API's words and each schema compiles once (ajv keeps
 * what it compiled by the schema object).
 */
export const bodyChecker = compiler({ coerceTypes: false, allErrors: true })
