/**
 * HTML written as tagged templates, escaped by default: every value put into `html`...`` is
 * escaped unless it is itself the result of `html` (or an array of them). Nothing reaches a page
 * unescaped by accident, and there is no client build or JSX compiler to configure.
 */
export class Html {
  constructor (readonly text: string) {}
  toString (): string { return this.text }
}

export type Content = Html | string | number | boolean | null | undefined | Content[]

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

export function escape (text: string): string {
  return text.replace(/[&<>"']/g, (character) => ESCAPES[character]!)
}

function render (value: Content): string {
  if (value instanceof Html) return value.text
  if (Array.isArray(value)) return value.map(render).join('')
  // false and null leave nothing, so `${condition && html`...`}` reads naturally.
  if (value === null || value === undefined || value === false) return ''
  return escape(String(value))
}

export function html (strings: TemplateStringsArray, ...values: Content[]): Html {
  let text = strings[0]!
  values.forEach((value, index) => { text += render(value) + strings[index + 1]! })
  return new Html(text)
}
