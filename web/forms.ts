import type { Static, TObject, TSchema } from '@sinclair/typebox'
import { Refusal } from '../domain/errors'
import { type AjvProblem, bodyChecker, problemsOf, trimStrings } from '../schemas/checks'
import { CSRF_FIELD, type Form } from './form-data'
import type { Problems } from './layout'

const typesOf = (schema: TSchema | undefined): string[] => [schema?.type ?? []].flat() as string[]

/**
 * A form field as the API's body would carry it: an empty field is left out (or null, where the
 * API takes null to clear a value), numbers and booleans are read from their text. A number that
 * does not read as one stays text, so the API's check says what is wrong with it.
 */
function asBodyValue (schema: TSchema | undefined, text: string): unknown {
  const types = typesOf(schema)
  if (text.trim() === '') return types.includes('null') ? null : undefined
  if ((types.includes('integer') || types.includes('number')) && /^\s*-?\d+(\.\d+)?\s*$/.test(text)) return Number(text)
  if (types.includes('boolean')) return text === 'true' || text === 'on'
  return text
}

export type FormResult<T> = { ok: true, value: T } | { ok: false, problems: Problems }

/** Reads a form into the body `schema` describes, checked as the API checks it. */
export function readForm<T extends TObject> (schema: T, form: Form): FormResult<Static<T>> {
  const body: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(form)) {
    if (name === CSRF_FIELD) continue
    const property = schema.properties[name]
    const converted = Array.isArray(value) ? value : asBodyValue(property, value)
    if (converted !== undefined) body[name] = converted
  }
  trimStrings(body)
  const validate = bodyChecker.compile(schema)
  if (validate(body)) return { ok: true, value: body as Static<T> }
  const problems: Problems = {}
  // A field the form does not have (a forged or stale one) has nowhere to be shown but above the form.
  for (const { field, message } of problemsOf(validate.errors as AjvProblem[])) {
    problems[field && field in schema.properties ? field : 'form'] = `${field} ${message}`.trim()
  }
  return { ok: false, problems }
}

/**
 * A refusal of the domain, shown where it belongs: next to the field the rule concerns when the
 * form says which one (by the refusal's kind), else above the form. Anything but a refusal is not
 * the user's to fix and goes on to the error page.
 */
export function refusalProblems (error: unknown, fields: Partial<Record<Refusal['kind'], string>> = {}): Problems {
  if (!(error instanceof Refusal)) throw error
  return { [fields[error.kind] ?? 'form']: error.message }
}
