import type { FastifyReply, FastifyRequest } from 'fastify'
import type { User } from '../domain/caller'
import { admits } from '../domain/policy'
import { CSRF_FIELD } from './form-data'
import { type Content, html, type Html } from './html'

/** What every page needs of its request: who is signed in, and the token its forms carry. */
export interface View {
  user: User | undefined
  csrf: string
  path: string
}

export function viewOf (request: FastifyRequest, reply: FastifyReply): View {
  return {
    user: request.user,
    csrf: reply.generateCsrf(),
    path: request.url.split('?')[0]!
  }
}

/** Per form field, what the API's rules said of it; `form` for what concerns no single field. */
export type Problems = Partial<Record<string, string>>

const STAFF_LINKS = [
  ['/', 'Dashboard'],
  ['/staff/people', 'People'],
  ['/staff/invitations', 'Invitations'],
  ['/staff/approvals', 'Approvals'],
  ['/staff/matching', 'Matching'],
  ['/staff/matches', 'Matches'],
  ['/staff/requests', 'Requests'],
  ['/staff/meetings', 'Meetings']
] as const
const PARTICIPANT_LINKS = [
  ['/me/profile', 'My profile'],
  ['/me/matches', 'My matches'],
  ['/me/notifications', 'Notifications']
] as const
// A mentor answers the requests addressed to them; anyone else (a mentee, a user not yet approved) asks.
const requestsLink = (user: User) => user.role === 'MENTOR' ? ['/me/requests/incoming', 'Requests to me'] as const : ['/me/requests', 'My requests'] as const

export const csrfField = (view: View) => html`<input type="hidden" name="${CSRF_FIELD}" value="${view.csrf}">`

function navigation (view: View): Html {
  const user = view.user
  if (!user) {
    return html`<ul><li><a href="/sign-in">Sign in</a></li><li><a href="/register">Register an organization</a></li></ul>`
  }
  const links = admits('staff', user) ? STAFF_LINKS : [...PARTICIPANT_LINKS.slice(0, 2), requestsLink(user), ...PARTICIPANT_LINKS.slice(2)]
  return html`<ul>
    ${links.map(([href, label]) => html`<li><a href="${href}"${view.path === href ? html` aria-current="page"` : ''}>${label}</a></li>`)}
    <li><form method="post" action="/sign-out" class="inline">${csrfField(view)}<button type="submit" class="secondary outline">Sign out</button></form></li>
  </ul>`
}

export function layout (view: View, title: string, content: Content): Html {
  return html`<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="htmx-config" content='{"includeIndicatorStyles": false, "allowEval": false}'>
<title>${title} &middot; MentorMatchr</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/assets/pico.min.css">
<link rel="stylesheet" href="/assets/app.css">
<script src="/assets/htmx.min.js" defer></script>
</head>
<body>
<a class="skip" href="#main">Skip to the content</a>
<header class="container">
<nav aria-label="Main">
<ul><li><a href="/" class="brand"><strong>MentorMatchr</strong></a></li></ul>
${navigation(view)}
</nav>
</header>
<main class="container" id="main" tabindex="-1">
<h1>${title}</h1>
${content}
</main>
</body>
</html>`
}

/** A message under a field, tied to it for screen readers. */
function fieldError (id: string, problem: string | undefined): Html {
  return problem ? html`<small id="${id}-error" class="error">${problem}</small>` : html``
}

export interface FieldOptions {
  name: string
  label: string
  type?: 'text' | 'email' | 'password' | 'number' | 'date' | 'datetime-local' | 'search' | 'url'
  value?: string | number | null
  problems?: Problems
  required?: boolean
  autocomplete?: string
  min?: number
  max?: number
  step?: string
}

export function field (options: FieldOptions): Html {
  const { name, label, type = 'text', value, problems = {}, required, autocomplete, min, max, step } = options
  const id = `field-${name}`
  const problem = problems[name]
  return html`<label for="${id}">${label}
<input id="${id}" name="${name}" type="${type}"${value != null ? html` value="${value}"` : ''}${required ? html` required` : ''}${autocomplete ? html` autocomplete="${autocomplete}"` : ''}${min !== undefined ? html` min="${min}"` : ''}${max !== undefined ? html` max="${max}"` : ''}${step ? html` step="${step}"` : ''}${problem ? html` aria-invalid="true" aria-describedby="${id}-error"` : ''}>
${fieldError(id, problem)}</label>`
}

export function textArea (options: Omit<FieldOptions, 'type'>): Html {
  const { name, label, value, problems = {} } = options
  const id = `field-${name}`
  const problem = problems[name]
  return html`<label for="${id}">${label}
<textarea id="${id}" name="${name}" rows="4"${problem ? html` aria-invalid="true" aria-describedby="${id}-error"` : ''}>${value ?? ''}</textarea>
${fieldError(id, problem)}</label>`
}

export function select (options: Omit<FieldOptions, 'type'> & { choices: ReadonlyArray<readonly [string, string]> }): Html {
  const { name, label, value, problems = {}, choices } = options
  const id = `field-${name}`
  const problem = problems[name]
  return html`<label for="${id}">${label}
<select id="${id}" name="${name}"${problem ? html` aria-invalid="true" aria-describedby="${id}-error"` : ''}>
${choices.map(([choice, text]) => html`<option value="${choice}"${String(value ?? '') === choice ? html` selected` : ''}>${text}</option>`)}
</select>
${fieldError(id, problem)}</label>`
}

/** A list's filter by status ('' for any), sent as the page's query. */
export function statusFilter (action: string, status: string | undefined, statuses: readonly string[]): Html {
  return html`<form method="get" action="${action}" class="grid">
${select({ name: 'status', label: 'Status', value: status, choices: [['', 'Any status'], ...statuses.map((choice) => [choice, choice] as const)] })}
<label for="filter-button">&nbsp;<button id="filter-button" type="submit" class="secondary">Filter</button></label>
</form>`
}

/** What the API refused that concerns no one field, at the top of the form. */
export function formProblem (problems: Problems): Html {
  return problems.form ? html`<p role="alert" class="error" id="form-error">${problems.form}</p>` : html``
}

export const PAGE_SIZE = 20

/** Links to the previous and next pages of a list, keeping its filters. */
export function pagination (view: View, query: Record<string, string | number | undefined>, page: number, total: number): Html {
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE))
  const link = (to: number) => {
    const params = new URLSearchParams()
    for (const [key, value] of Object.entries({ ...query, page: to })) if (value !== undefined && String(value) !== '') params.set(key, String(value))
    return `${view.path}?${params}`
  }
  return html`<nav aria-label="Pages" class="pagination">
${page > 1 ? html`<a href="${link(page - 1)}" rel="prev">Previous</a>` : ''}
<span>Page ${page} of ${pages} (${total} in all)</span>
${page < pages ? html`<a href="${link(page + 1)}" rel="next">Next</a>` : ''}
</nav>`
}

export const fullName = (person: { first_name: string | null, last_name: string | null, email?: string }) =>
  [person.first_name, person.last_name].filter(Boolean).join(' ') || person.email || 'Unnamed'

/**
 * "2026-11-25T18:00:00.000Z" as "2026-11-25 18:00", in a `<time>` that holds the exact moment for
 * machines and keeps it on one line (app.css): a narrow column broke it at its hyphens.
 */
export const moment = (iso: string | null) => iso ? html`<time datetime="${iso}">${iso.slice(0, 16).replace('T', ' ')}</time>` : ''

/** A table in a box of its own that scrolls sideways (Pico's overflow-auto) when it is wider than the screen, so the page never is. */
export const table = (content: Content) => html`<div class="overflow-auto"><table>${content}</table></div>`

/** `?page=` of a paginated page, and the list query it means. */
export const pageOf = (page: number) => ({ limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE })

/** "1 pair", "2 pairs". */
export const count = (total: number, noun: string) => `${total} ${noun}${total === 1 ? '' : 's'}`
