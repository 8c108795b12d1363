import type { Weights } from '../../domain/matching/scoring'
import { html, type Html } from '../html'
import { count, csrfField, field, formProblem, fullName, layout, type Problems, select, table, type View } from '../layout'

type Named = { first_name: string | null, last_name: string | null }

export interface WaitingMentee { id: number, lambda_week: number, interests: string | null, user: Named & { email: string } }

export interface SuggestionRow {
  mentor_id: number
  score: number
  reasons: string[]
  mentor: { capacity: number, active_matches: number, user: Named }
}

export interface PreviewRows {
  pairs: Array<{ mentee_id: number, mentor_id: number, score: number, reasons: string[], mentee: string, mentor: string }>
  unmatched: Array<{ mentee_id: number, reason: string, mentee: string }>
  total_score: number
}

export interface MatchingState {
  /** The query as typed, to refill the form. */
  query: Record<string, string | undefined>
  weights: Weights
  waiting: WaitingMentee[]
  suggestions?: SuggestionRow[]
  menteeName?: string
  preview?: PreviewRows
  problems: Problems
  mayKeepWeights: boolean
}

const WEIGHT_LABELS: Record<keyof Weights, string> = {
  interests: 'Shared interests (experiences or bio)',
  experiences: 'Interests named by experiences',
  wanted_mentor: "The mentee's wish",
  location: 'Nearness (ZIP code)',
  load_balance: 'Free share of capacity'
}

const score = (value: number) => value.toFixed(2)

function reasons (list: string[]): Html {
  return html`<ul class="reasons">${list.map((reason) => html`<li>${reason}</li>`)}</ul>`
}

/** The hidden fields that carry the query along (weights, week, mentee) into another form. */
function carried (query: MatchingState['query'], except: string[]): Html {
  return html`${Object.entries(query).filter(([name, value]) => value !== undefined && value !== '' && !except.includes(name))
    .map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}`
}

export function matchingPage (view: View, state: MatchingState): Html {
  const { query, problems } = state
  const menteeChoices = [['', 'Choose a waiting mentee'], ...state.waiting.map((mentee) =>
    [String(mentee.id), `${fullName(mentee.user)} (week ${mentee.lambda_week}${mentee.interests ? `, ${mentee.interests}` : ''})`] as const)] as const
  return layout(view, 'Matching', html`
${formProblem(problems)}
<form method="get" action="/staff/matching" id="matching-form">
<fieldset>
<legend>Weights: how much each factor counts (the organization's, unless changed here)</legend>
<div class="grid">
${(Object.keys(WEIGHT_LABELS) as Array<keyof Weights>).map((name) => field({
  name: `weight_${name}`,
label: WEIGHT_LABELS[name],
type: 'number',
min: 0,
max: 1000,
step: 'any',
  value: query[`weight_${name}`] ?? state.weights[name],
problems
}))}
</div>
</fieldset>
<section aria-labelledby="one-mentee">
<h2 id="one-mentee">Suggestions for one mentee</h2>
${select({ name: 'mentee_id', label: 'Mentee', value: query.mentee_id, problems, choices: menteeChoices })}
<button type="submit" name="suggest" value="1">Suggest mentors</button>
</section>
<section aria-labelledby="cohort">
<h2 id="cohort">The whole cohort</h2>
<p>The assignment that matches the most waiting mentees, then scores the most. Nothing is written until you apply it.</p>
${field({ name: 'lambda_week', label: 'Only the mentees of week (optional)', type: 'number', min: 1, value: query.lambda_week, problems })}
<button type="submit" name="preview" value="1" class="secondary">Preview the cohort assignment</button>
</section>
</form>
${state.suggestions && html`<section aria-labelledby="suggestions">
<h2 id="suggestions">Best mentors for ${state.menteeName}</h2>
${table(html`
<thead><tr><th scope="col">Mentor</th><th scope="col">Score</th><th scope="col">Why</th><th scope="col">Places</th><th scope="col"><span class="visually-hidden">Match</span></th></tr></thead>
<tbody>
${state.suggestions.map((suggestion) => html`<tr>
<td>${fullName(suggestion.mentor.user)}</td><td>${score(suggestion.score)}</td><td>${reasons(suggestion.reasons)}</td>
<td>${suggestion.mentor.active_matches} of ${suggestion.mentor.capacity} taken</td>
<td><form method="post" action="/staff/matching">${csrfField(view)}
<input type="hidden" name="mentee_id" value="${query.mentee_id}"><input type="hidden" name="mentor_id" value="${suggestion.mentor_id}"><input type="hidden" name="match_score" value="${suggestion.score}">
<button type="submit" aria-label="Match ${state.menteeName} with ${fullName(suggestion.mentor.user)}">Match</button></form></td></tr>`)}
${state.suggestions.length === 0 && html`<tr><td colspan="5">No mentor with a free place may take this mentee now.</td></tr>`}
</tbody>
`)}
</section>`}
${state.preview && html`<section aria-labelledby="preview">
<h2 id="preview">Cohort assignment preview</h2>
<p>${count(state.preview.pairs.length, 'pair')}, ${state.preview.unmatched.length} left unmatched, total score <strong id="total-score">${score(state.preview.total_score)}</strong>.</p>
${table(html`
<caption>Pairs</caption>
<thead><tr><th scope="col">Mentee</th><th scope="col">Mentor</th><th scope="col">Score</th><th scope="col">Why</th></tr></thead>
<tbody>${state.preview.pairs.map((pair) => html`<tr><td>${pair.mentee}</td><td>${pair.mentor}</td><td>${score(pair.score)}</td><td>${reasons(pair.reasons)}</td></tr>`)}</tbody>
`)}
${state.preview.unmatched.length > 0 && table(html`
<caption>Left unmatched</caption>
<thead><tr><th scope="col">Mentee</th><th scope="col">Why</th></tr></thead>
<tbody>${state.preview.unmatched.map((left) => html`<tr><td>${left.mentee}</td><td>${left.reason}</td></tr>`)}</tbody>
`)}
${state.preview.pairs.length > 0 && html`<form method="post" action="/staff/matching/apply">
${csrfField(view)}
${carried(query, ['mentee_id', 'suggest'])}
${state.preview.pairs.map((pair) => html`<input type="hidden" name="pair" value="${pair.mentee_id}:${pair.mentor_id}:${pair.score}">`)}
<button type="submit">Apply: create ${state.preview.pairs.length === 1 ? 'this match' : `these ${state.preview.pairs.length} matches`}</button>
</form>`}
${state.mayKeepWeights && html`<form method="post" action="/staff/matching/weights">
${csrfField(view)}
${carried(query, ['mentee_id', 'suggest', 'preview', 'lambda_week'])}
<button type="submit" class="outline">Keep these weights for the organization</button>
</form>`}
</section>`}`)
}
