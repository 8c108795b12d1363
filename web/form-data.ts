// What a browser's form sends, as the pages and the web plugin read it.

/** The hidden field of every page form that carries its CSRF token. */
export const CSRF_FIELD = '_csrf'

/** The form fields of a page's POST: each name once, or the list of its values when repeated. */
export type Form = Record<string, string | string[]>

/** An application/x-www-form-urlencoded body, as a Form. */
export function parseForm (text: string): Form {
  const form: Form = {}
  for (const [name, value] of new URLSearchParams(text)) {
    const previous = form[name]
    form[name] = previous === undefined ? value : [previous, value].flat()
  }
  return form
}
