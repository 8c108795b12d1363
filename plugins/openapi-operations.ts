import type { RouteOptions } from 'fastify'
import { ACCESS_DESCRIPTIONS, type Access } from '../domain/policy'
import type { WhenAbsent } from './errors'

/**
 * What the OpenAPI document says of each operation beyond its schemas: a readable operationId, when
 * each of its error answers happens, and an example of its body. All of it is derived from what the
 * route already declares (method, URL, access, parameters, body fields, the seed's quirks), so a
 * new route is documented without a line here; the tables below only add what no declaration says.
 */

interface Property { type?: unknown, default?: unknown }
interface Schemas {
  body?: { properties?: Record<string, Property>, required?: string[] }
  params?: { properties?: Record<string, Property> }
  querystring?: { properties?: Record<string, Property>, required?: string[] }
  response?: Record<string, { type?: unknown, description?: string, items?: { description?: string } }>
  operationId?: string
  /** The content types of the body, when not JSON alone. */
  consumes?: string[]
}

/** A route as the document sees it: its own declarations, nothing computed. */
export interface DocumentedRoute {
  method: string
  url: string
  access: Access
  credentials: boolean
  whenAbsent: Record<string, WhenAbsent>
  schema: Schemas
}

export function documentedRoute (route: Pick<RouteOptions, 'method' | 'url' | 'config' | 'schema'>, method: string): DocumentedRoute | undefined {
  const access = route.config?.access
  if (access === undefined) return undefined
  return {
    method,
    url: route.url,
    access,
    credentials: route.config?.credentials === true,
    whenAbsent: route.config?.whenAbsent ?? {},
    schema: (route.schema ?? {}) as Schemas
  }
}

const words = (segment: string) => segment.split(/[-_]/).filter(Boolean)
const capitalized = (word: string) => word.charAt(0).toUpperCase() + word.slice(1)
/** matches → match, mentees → mentee, read-all stays: enough English for our resource names. */
export const singular = (word: string) =>
  word.endsWith('ies') ? `${word.slice(0, -3)}y` : /(ch|sh|x)es$/.test(word) ? word.slice(0, -2) : word.endsWith('s') ? word.slice(0, -1) : word

/** Where the derived name would mislead (login is no "create"), the name a person would give. */
const OPERATION_IDS: Record<string, string> = {
  'GET /': 'home',
  'GET /api': 'getApiStatus',
  'POST /api/auth/login': 'login',
  'POST /api/auth/register': 'register',
  'GET /api/auth/github': 'startGitHubSignIn',
  'GET /api/auth/github/callback': 'completeGitHubSignIn',
  'GET /api/invitations/:invitation': 'getInvitationOffer',
  'POST /api/invitations/:invitation': 'acceptInvitation',
  'GET /api/invitations/:invitation/github': 'acceptInvitationWithGitHub',
  'POST /api/matches/assignments': 'previewMatchAssignments',
  'POST /api/matches/assignments/apply': 'applyMatchAssignments',
  'PATCH /api/notifications/:id': 'markNotificationRead'
}

const VERBS: Record<string, string> = { POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete' }

/**
 * `listMeetings`, `getMeeting`, `createMeeting`, `updateMeeting`, `deleteMeeting`, and for an action
 * after a record (`DELETE /api/meetings/:id/remove`, `POST /api/invitations/:invitation/resend`)
 * the action: `removeMeeting`, `resendInvitation`. A route may declare its own `operationId`.
 */
export function operationIdOf (route: DocumentedRoute): string {
  const key = `${route.method} ${route.url}`
  if (route.schema.operationId) return route.schema.operationId
  if (OPERATION_IDS[key]) return OPERATION_IDS[key]
  const segments = route.url.split('/').filter(Boolean)
  if (segments[0] === 'api') segments.shift()
  const noun = (parts: string[]) => parts.map((segment, index) => {
    if (segment.startsWith(':')) return ''
    const name = parts[index + 1]?.startsWith(':') ? singular(segment) : segment
    return words(name).map(capitalized).join('')
  }).join('')
  const last = segments.at(-1) ?? ''
  const actionAfterRecord = route.method !== 'GET' && !last.startsWith(':') && segments.at(-2)?.startsWith(':')
  if (actionAfterRecord) {
    const [first = '', ...rest] = words(last)
    return first + rest.map(capitalized).join('') + noun(segments.slice(0, -1))
  }
  const list = route.method === 'GET' && route.schema.response?.['200']?.type === 'array'
  const verb = route.method === 'GET' ? (list ? 'list' : 'get') : VERBS[route.method] ?? route.method.toLowerCase()
  const name = noun(segments)
  return verb + (route.method === 'POST' && !last.startsWith(':') ? singular(name) : name)
}

/** The record a route's URL names by id: `/api/matches/:id/remove` → "match". */
function recordOf (route: DocumentedRoute): string | undefined {
  const segments = route.url.split('/').filter(Boolean)
  const index = segments.findIndex((segment) => segment.startsWith(':'))
  return index > 0 ? words(singular(segments[index - 1]!)).join(' ') : undefined
}

/** The kind of record a route deals with: `/api/matches/:id/remove` and `/api/matches` → "match". */
function resourceOf (route: DocumentedRoute): string {
  const [resource] = route.url.split('/').filter((segment) => segment && segment !== 'api')
  return recordOf(route) ?? (resource ? words(singular(resource)).join(' ') : 'record')
}

const propertiesOf = (schema: { properties?: Record<string, unknown> } | undefined) => Object.keys(schema?.properties ?? {})
const listed = (names: string[]) => names.map((name) => `\`${name}\``).join(', ')
const quirksWith = (route: DocumentedRoute, status: number) =>
  Object.entries(route.whenAbsent).filter(([, answer]) => answer.statusCode === status)

/** 400: everything the route checks before reading anything, from its own schemas. */
function invalid (route: DocumentedRoute): string {
  const reasons: string[] = []
  const body = route.schema.body
  if (body) {
    const required = body.required ?? []
    reasons.push(`the body is not a JSON object of ${listed(propertiesOf(body))} with valid values` +
      (required.length > 0 ? ` (${listed(required)} required)` : '') + ', or carries another field')
  }
  const params = Object.entries(route.schema.params?.properties ?? {})
  for (const [name, schema] of params) {
    reasons.push(`\`:${name}\` in the path is ${schema.type === 'integer' ? 'not a positive integer' : 'malformed'}`)
  }
  const query = propertiesOf(route.schema.querystring)
  reasons.push(query.length > 0 ? `a query parameter is out of range or not one of ${listed(query)}` : 'a query parameter is given: this route takes none')
  const references = propertiesOf(body).filter((name) => name.endsWith('_id'))
  if (references.length > 0) reasons.push(`${listed(references)} names no record of the caller's organization`)
  for (const [field, answer] of quirksWith(route, 400)) reasons.push(`\`${field}\` is absent or null: "${answer.error}"`)
  return `Nothing was read or written: ${reasons.join('; or ')}.`
}

function unauthenticated (route: DocumentedRoute): string {
  if (route.access === 'public') return 'The credentials are wrong.'
  return 'No bearer token, or one that is malformed, expired, or of a user who no longer exists.'
}

/** 403: below the route's level, or (for a route open to every member) the record's own rules. */
function forbidden (route: DocumentedRoute): string {
  if (route.access !== 'member' && route.access !== 'public') return `The caller is signed in but is not ${ACCESS_DESCRIPTIONS[route.access]}.`
  const record = resourceOf(route)
  return route.method === 'GET'
    ? `The caller has no part in this ${record} (staff see every one of the organization).`
    : `The rules of this ${record} do not let the caller do this: it is not theirs or they are not a party to it, or a field it sets is staff's to set.`
}

function notFound (route: DocumentedRoute): string {
  const reasons: string[] = []
  const record = recordOf(route)
  if (record) reasons.push(`no ${record} with this id in the caller's organization (another organization's records answer 404 as well)`)
  for (const [field, answer] of quirksWith(route, 404)) reasons.push(`\`${field}\` is absent or null, a quirk kept from the original system: "${answer.error}"`)
  return reasons.length > 0 ? `${reasons.join('; or ').replace(/^./, (first) => first.toUpperCase())}.` : 'The record it names does not exist.'
}

/** What each status means wherever nothing more specific is known. */
const GENERAL: Record<number, (route: DocumentedRoute) => string> = {
  400: invalid,
  401: unauthenticated,
  403: forbidden,
  404: notFound,
  409: (route) => `The current state of the ${resourceOf(route)} refuses this change.`,
  410: () => 'The invitation has expired, or was accepted already.',
  413: () => 'The body is larger than 1 MiB.',
  415: (route) => `The body is of another type: send it with \`content-type: ${(route.schema.consumes ?? ['application/json']).join(' or ')}\`.`,
  429: () => 'Too many attempts from this address (`AUTH_RATE_LIMIT` per `AUTH_RATE_WINDOW`, shared by every route that takes credentials): wait for `Retry-After` seconds.',
  500: () => 'An unexpected failure; the answer carries the request id that the server log shows with the details.',
  502: () => 'GitHub did not answer as expected.',
  503: () => 'Sign-in with GitHub is not configured on this server (`GITHUB_CLIENT_ID`, `GITHUB_CLIENT_SECRET`).'
}

/** When an error happens where the route's declarations cannot say it: the domain's rules. */
const SPECIFIC: Record<string, Partial<Record<number, string>>> = {
  'POST /api/auth/login': {
    401: 'The password is wrong.',
    404: 'No user has this email.'
  },
  'POST /api/auth/register': {
    500: 'The email or the organization name is already registered (500, not 409: a status kept from the original system). Nothing is written.'
  },
  'GET /api/auth/github/callback': {
    400: 'GitHub reports an error, or the callback lacks `code`, or `state` is missing or not the one this server set, or GitHub does not accept the code: start again.',
    403: 'No user has this GitHub account or one of its verified emails; the user is deleted or linked to another GitHub account; or the invitation being accepted is for an email this GitHub account has not verified.',
    404: 'The invitation being accepted no longer exists (it was revoked).',
    409: 'The invitation is being accepted with a GitHub account that already belongs to a user: sign in with GitHub instead.',
    410: 'The invitation being accepted was accepted already, or has expired.'
  },
  'GET /health': { 503: 'The database does not answer.' },
  'GET /api/invitations/:invitation': { 404: 'No invitation has this token.' },
  'POST /api/invitations/:invitation': {
    403: 'The invitation is for another email address than the body gives.',
    404: 'No invitation has this token.',
    409: 'A user with the invitation\'s email already exists.'
  },
  'GET /api/invitations/:invitation/github': { 404: 'No invitation has this token.' },
  'POST /api/invitations': {
    403: 'The caller is not staff, a MANAGER invites an OWNER (only an OWNER grants that role), or staff name another organization than their own.',
    409: 'The email already has a pending invitation to the organization.'
  },
  'POST /api/invitations/:invitation/resend': {
    403: 'The caller is not staff, or a MANAGER resends an invitation to become OWNER.',
    409: 'The invitation was already accepted.'
  },
  'DELETE /api/invitations/:invitation/remove': { 403: 'The caller is not staff, or a MANAGER revokes an invitation to become OWNER.' },
  'POST /api/matches': { 409: 'The mentor and mentee already have an ACTIVE match together, one of them is not AVAILABLE, or the mentor has no free place.' },
  'PUT /api/matches/:id': { 409: 'Resuming, re-pointing or restoring it breaks a rule: the pair already has an ACTIVE match, a profile is not AVAILABLE, or the mentor has no free place.' },
  'POST /api/matches/assignments/apply': { 409: 'A pair of the preview is no longer possible (a place was taken, a profile changed): no match is created.' },
  'GET /api/matches/suggestions': { 404: 'No mentee with `mentee_id` in the caller\'s organization.' },
  'POST /api/meetings': { 409: 'The match is CANCELLED: no meeting can be added to it.' },
  'POST /api/mentors': { 409: 'The user already has a mentor profile.' },
  'POST /api/mentees': { 409: 'The user already has a mentee profile.' },
  'POST /api/experiences': { 409: 'The user already has an experience of this name.' },
  'PUT /api/experiences/:id': { 409: 'The user already has an experience of this name.' },
  'PUT /api/mentors/:id': { 409: 'The new capacity is below the mentor\'s active matches: end a match first.' },
  'POST /api/organizations': { 409: 'An organization of this name already exists.' },
  'PUT /api/organizations/:id': { 409: 'Another organization has this name.' },
  'PUT /api/users/:id': { 409: 'The new email belongs to another user, or the change of role would leave the organization without an OWNER.' },
  'DELETE /api/users/:id': { 409: 'It would leave the organization without an OWNER.' },
  'DELETE /api/users/:id/remove': { 409: 'It would leave the organization without an OWNER.' }
}

/** When the route answers `status`, in words specific to it. */
export function errorDescription (route: DocumentedRoute, status: number): string {
  return SPECIFIC[`${route.method} ${route.url}`]?.[status] ?? GENERAL[status]?.(route) ?? 'What went wrong, in words a person can act on.'
}

/**
 * An example body for the routes people call most, checked against the route's own schema by
 * test/docs/openapi.test.ts, so that an example cannot drift from what the server accepts.
 */
export const BODY_EXAMPLES: Record<string, object> = {
  'POST /api/auth/register': { organization_name: 'Lambda Mentors', email: 'grace@example.com', password: 'correct horse battery', first_name: 'Grace', last_name: 'Hopper' },
  'POST /api/auth/login': { email: 'grace@example.com', password: 'correct horse battery' },
  'POST /api/invitations': { email: 'ada@example.com', name: 'Ada Lovelace', role: 'MENTOR' },
  'POST /api/invitations/:invitation': { password: 'analytical engine 1843', first_name: 'Ada', last_name: 'Lovelace' },
  'POST /api/mentors': { capacity: 2, bio: 'Backend engineer; happy to review code and talk careers.' },
  'POST /api/mentees': { lambda_week: 3, desired_zip: '10115', interests: 'javascript, databases', wanted_mentor_id: null },
  'POST /api/experiences': { name: 'PostgreSQL' },
  'POST /api/matches': { mentor_id: 3, mentee_id: 7, start_date: '2026-12-01T09:00:00Z' },
  'PUT /api/matches/:id': { status: 'COMPLETED', end_date: '2027-03-01T17:00:00Z' },
  'POST /api/matches/assignments': { lambda_week: 3, weights: { interests: 0.6, location: 0 } },
  'POST /api/matches/assignments/apply': { pairs: [{ mentee_id: 7, mentor_id: 3 }, { mentee_id: 8, mentor_id: 4 }] },
  'POST /api/meetings': { match_id: 12, meeting_date: '2026-12-08T15:00:00Z', location: 'Video call', notes: 'Planned the first project.', rating: 5 },
  'PUT /api/meetings/:id': { notes: 'Moved to Thursday.', meeting_date: '2026-12-10T15:00:00Z' },
  'POST /api/notifications': { user_id: 7, content: 'Your mentor will be 10 minutes late.' },
  'PUT /api/organizations/:id': { description: 'Mentoring for the spring cohort', matching_weights: { interests: 0.5, location: 0 } },
  'PUT /api/users/:id': { first_name: 'Grace', city: 'Arlington' }
}
