import type { FastifyRequest } from 'fastify'
import { DECLINE_REASONS, REQUEST_STATUSES } from '../../db/schema'
import { Refusal } from '../../domain/errors'
import type { MenteeRequest } from '../../domain/requests'
import { DECLINE_REASON_TEXTS } from '../../domain/requests/messages'
import { html, type Html } from '../html'
import { csrfField, formProblem, fullName, layout, moment, pagination, type Problems, select, statusFilter, textArea, table, type View } from '../layout'

type Name = { first_name: string | null, last_name: string | null }

/** A request as the pages show it: the API's record with the names of its two people. */
export interface ListedRequest {
  id: number
  rank: number
  message: string | null
  status: string
  decline_reason: string | null
  decline_note: string | null
  expires_at: string
  age_hours: number
  mentor: Name
  mentee: Name & { interests?: string | null }
}

/** A request as the domain lists it. */
type Shown = Omit<MenteeRequest, 'deleted' | 'organization_id'> & { age_hours: number }

/** Requests with the names of their mentor and mentee (and the mentee's interests), each profile read once. */
export function withNames (request: FastifyRequest, rows: Shown[]): ListedRequest[] {
  const { mentors, mentees } = request.server.domain
  // A profile deleted since (its open request can still be declined) is no longer readable by participants.
  type Named = { first_name: string | null, last_name: string | null, email?: string, interests?: string | null }
  const readable = (read: () => Named, gone: Named): Named => {
    try {
      return read()
    } catch (error) {
      if (error instanceof Refusal && error.kind === 'not-found') return gone
      throw error
    }
  }
  const deleted = { first_name: null, last_name: null, email: 'a deleted profile' }
  const mentorNames = new Map([...new Set(rows.map((row) => row.mentor_id))]
    .map((id) => [id, readable(() => mentors.get(request.caller, id, true).user, deleted)]))
  const menteeNames = new Map([...new Set(rows.map((row) => row.mentee_id))].map((id) => [id, readable(() => {
    const mentee = mentees.get(request.caller, id, true)
    return { ...mentee.user, interests: mentee.interests }
  }, { ...deleted, interests: null })]))
  return rows.map((row) => ({ ...row, mentor: mentorNames.get(row.mentor_id)!, mentee: menteeNames.get(row.mentee_id)! }))
}

/** The caller's own profile of a kind, if they have one. */
export function ownProfile (request: FastifyRequest, kind: 'mentors' | 'mentees') {
  return request.server.domain[kind].list(request.caller, { user_id: request.caller.user.id, limit: 1, offset: 0 }).rows[0]
}

export interface AskableMentor { id: number, capacity: number, active_matches: number, bio: string | null, user: Name }

/** "5 hours", "3 days 2 hours": how long a request has waited. */
export function ageOf (hours: number): string {
  const days = Math.floor(hours / 24)
  const rest = hours % 24
  const part = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`
  return days === 0 ? part(rest, 'hour') : rest === 0 ? part(days, 'day') : `${part(days, 'day')} ${part(rest, 'hour')}`
}

const statusCell = (request: ListedRequest) => html`${request.status}${request.decline_reason
  ? html`<br><small>${DECLINE_REASON_TEXTS[request.decline_reason as keyof typeof DECLINE_REASON_TEXTS]}${request.decline_note ? `: ${request.decline_note}` : ''}</small>`
  : ''}`

export interface AskState {
  /** Why the caller cannot ask now (the API's words), or null. */
  refusal: string | null
  mentors: AskableMentor[]
  mentorsTotal: number
  page: number
  form: Record<string, string | undefined>
  problems: Problems
  mine: ListedRequest[]
  /** The caller also holds a mentor profile: a link to the requests addressed to them. */
  alsoMentor: boolean
}

export function myRequestsPage (view: View, state: AskState): Html {
  const { refusal, mentors, form, problems } = state
  const askable = mentors.filter((mentor) => mentor.active_matches < mentor.capacity)
  const rankChoices = [['', 'The next free rank'], ['1', '1 (first choice)'], ['2', '2'], ['3', '3']] as const
  return layout(view, 'My requests', html`
${state.alsoMentor && html`<p><a href="/me/requests/incoming">Requests addressed to me as a mentor</a></p>`}
<section aria-labelledby="mine">
<h2 id="mine">What I asked</h2>
<p>You may have up to three open requests at once, ranked by preference; a request not answered in time expires.</p>
${table(html`
<thead><tr><th scope="col">Mentor</th><th scope="col">Rank</th><th scope="col">Status</th><th scope="col">Asked</th><th scope="col">Expires</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
<tbody>
${state.mine.map((request) => html`<tr id="request-${request.id}">
<td>${fullName(request.mentor)}</td><td>${request.rank}</td><td>${statusCell(request)}</td><td>${ageOf(request.age_hours)} ago</td><td>${moment(request.expires_at)}</td>
<td>${request.status === 'OPEN' && html`<form method="post" action="/me/requests/${request.id}">${csrfField(view)}<button type="submit" class="secondary outline" aria-label="Withdraw my request to ${fullName(request.mentor)}">Withdraw</button></form>`}</td>
</tr>`)}
${state.mine.length === 0 && html`<tr><td colspan="6">You have asked no mentor yet.</td></tr>`}
</tbody>
`)}
</section>
<section aria-labelledby="ask">
<h2 id="ask">Ask a mentor</h2>
${refusal !== null
  ? html`<p role="status" id="asking-refused">${refusal}</p>`
  : html`${table(html`
<caption>Mentors with a free place</caption>
<thead><tr><th scope="col">Mentor</th><th scope="col">About</th><th scope="col">Free places</th></tr></thead>
<tbody>
${mentors.map((mentor) => html`<tr><td>${fullName(mentor.user)}</td><td>${mentor.bio ?? ''}</td><td>${mentor.capacity - mentor.active_matches} of ${mentor.capacity}</td></tr>`)}
${mentors.length === 0 && html`<tr><td colspan="3">No mentor has a free place at the moment.</td></tr>`}
</tbody>
`)}
${pagination(view, {}, state.page, state.mentorsTotal)}
${askable.length > 0 && html`<form method="post" action="/me/requests" novalidate>
${csrfField(view)}
${formProblem(problems)}
<div class="grid">
${select({ name: 'mentor_id', label: 'Mentor', value: form.mentor_id, problems, choices: askable.map((mentor) => [String(mentor.id), fullName(mentor.user)] as const) })}
${select({ name: 'rank', label: 'Rank (your order of preference)', value: form.rank, problems, choices: rankChoices })}
</div>
${textArea({ name: 'message', label: 'Your message: what you hope to learn with them', value: form.message, problems })}
<button type="submit">Ask this mentor</button>
</form>`}`}
</section>`)
}

export interface IncomingState {
  open: ListedRequest[]
  answered: ListedRequest[]
  answeredTotal: number
  page: number
  /** The request whose form was refused, its fields and what the API said. */
  refused?: { id: string | undefined, form: Record<string, string | undefined>, problems: Problems }
}

/** A decline field with an id of its own per request (several forms on one page), posted under the API's name. */
function declineField (request: ListedRequest, name: 'decline_reason' | 'decline_note', label: string, control: (id: string, invalid: Html | '') => Html, problem: string | undefined): Html {
  const id = `${name}-${request.id}`
  return html`<label for="${id}">${label}
${control(id, problem ? html` aria-invalid="true" aria-describedby="${id}-error"` : '')}
${problem && html`<small id="${id}-error" class="error">${problem}</small>`}</label>`
}

function answerForms (view: View, request: ListedRequest, state: IncomingState): Html {
  const mine = state.refused?.id === String(request.id)
  const problems = mine ? state.refused!.problems : {}
  const form = mine ? state.refused!.form : {}
  return html`<div class="actions">
${mine && formProblem(problems)}
<form method="post" action="/me/requests/incoming/${request.id}">${csrfField(view)}<input type="hidden" name="action" value="accept"><button type="submit" aria-label="Accept the request of ${fullName(request.mentee)}">Accept</button></form>
<details${mine ? html` open` : ''}><summary>Decline</summary>
<form method="post" action="/me/requests/incoming/${request.id}" novalidate>${csrfField(view)}<input type="hidden" name="action" value="decline">
${declineField(request, 'decline_reason', 'Why', (id, invalid) => html`<select id="${id}" name="decline_reason"${invalid}>
${DECLINE_REASONS.map((reason) => html`<option value="${reason}"${form.decline_reason === reason ? html` selected` : ''}>${DECLINE_REASON_TEXTS[reason]}</option>`)}
</select>`, problems.decline_reason)}
${declineField(request, 'decline_note', 'A note for the mentee (optional)', (id, invalid) => html`<input id="${id}" name="decline_note" maxlength="300"${form.decline_note ? html` value="${form.decline_note}"` : ''}${invalid}>`, problems.decline_note)}
<button type="submit" class="secondary" aria-label="Decline the request of ${fullName(request.mentee)}">Decline</button>
</form></details>
</div>`
}

export function incomingRequestsPage (view: View, state: IncomingState): Html {
  const row = (request: ListedRequest, answering: boolean) => html`<tr id="request-${request.id}">
<td>${fullName(request.mentee)}${request.mentee.interests ? html`<br><small>Interests: ${request.mentee.interests}</small>` : ''}</td>
<td>${request.message ?? ''}</td><td>${statusCell(request)}</td><td>${ageOf(request.age_hours)}</td><td>${moment(request.expires_at)}</td>
${answering && html`<td>${answerForms(view, request, state)}</td>`}
</tr>`
  const refusedElsewhere = state.refused && !state.open.some((request) => String(request.id) === state.refused!.id)
  return layout(view, 'Requests to me', html`
${refusedElsewhere && formProblem(state.refused!.problems)}
<section aria-labelledby="waiting">
<h2 id="waiting">Waiting for your answer</h2>
${table(html`
<thead><tr><th scope="col">Mentee</th><th scope="col">Message</th><th scope="col">Status</th><th scope="col">Waiting for</th><th scope="col">Expires</th><th scope="col">Answer</th></tr></thead>
<tbody>
${state.open.map((request) => row(request, true))}
${state.open.length === 0 && html`<tr><td colspan="6">No request waits for you.</td></tr>`}
</tbody>
`)}
</section>
<section aria-labelledby="earlier">
<h2 id="earlier">Every request to me</h2>
${table(html`
<thead><tr><th scope="col">Mentee</th><th scope="col">Message</th><th scope="col">Status</th><th scope="col">Age</th><th scope="col">Expires</th></tr></thead>
<tbody>
${state.answered.map((request) => row(request, false))}
${state.answered.length === 0 && html`<tr><td colspan="5">Nobody has asked you yet.</td></tr>`}
</tbody>
`)}
${pagination(view, {}, state.page, state.answeredTotal)}
</section>`)
}

export interface StaffRequestsQuery { status?: string, page: number }

export function staffRequestsPage (view: View, query: StaffRequestsQuery, requests: ListedRequest[], total: number): Html {
  return layout(view, 'Requests', html`
<p>Mentees ask mentors directly; the mentor accepts or declines. Staff match directly (Matching), which closes the mentee's open requests.</p>
${statusFilter('/staff/requests', query.status, REQUEST_STATUSES)}
${table(html`
<thead><tr><th scope="col">Mentee</th><th scope="col">Mentor</th><th scope="col">Rank</th><th scope="col">Status</th><th scope="col">Age</th><th scope="col">Expires</th></tr></thead>
<tbody>
${requests.map((request) => html`<tr><td>${fullName(request.mentee)}</td><td>${fullName(request.mentor)}</td><td>${request.rank}</td><td>${statusCell(request)}</td>
<td>${ageOf(request.age_hours)}</td><td>${moment(request.expires_at)}</td></tr>`)}
${requests.length === 0 && html`<tr><td colspan="6">No requests.</td></tr>`}
</tbody>
`)}
${pagination(view, { status: query.status }, query.page, total)}`)
}
