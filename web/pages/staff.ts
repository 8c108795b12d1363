import { INVITATION_ROLES, INVITATION_STATUSES, MATCH_STATUSES, ROLES } from '../../db/schema'
import type { User } from '../../domain/caller'
import type { Invitation } from '../../domain/invitations'
import type { Meeting } from '../../domain/meetings'
import { html, type Html } from '../html'
import { csrfField, field, formProblem, fullName, layout, moment, pagination, type Problems, select, statusFilter, table, type View } from '../layout'

type Person = Pick<User, 'id' | 'email' | 'first_name' | 'last_name' | 'role' | 'created_at'>

export interface PeopleQuery { q?: string, role?: string, page: number }

export function peoplePage (view: View, query: PeopleQuery, people: Person[], total: number): Html {
  const roleChoices = [['', 'Any role'], ...ROLES.map((role) => [role, role] as const)] as const
  return layout(view, 'People', html`
<form method="get" action="/staff/people" role="search" class="grid"
  hx-get="/staff/people" hx-trigger="input changed delay:300ms from:#field-q, change from:#field-role" hx-target="#people" hx-select="#people" hx-swap="outerHTML" hx-push-url="true">
${field({ name: 'q', label: 'Search names and emails', type: 'search', value: query.q })}
${select({ name: 'role', label: 'Role', value: query.role, choices: roleChoices })}
<label for="search-button">&nbsp;<button id="search-button" type="submit">Search</button></label>
</form>
<p><a href="/staff/invitations">Invite someone</a></p>
<div id="people">
${table(html`
<caption>The organization's people</caption>
<thead><tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Role</th><th scope="col">Since</th></tr></thead>
<tbody>
${people.map((person) => html`<tr><td>${fullName(person)}</td><td>${person.email}</td><td>${person.role}</td><td>${person.created_at.slice(0, 10)}</td></tr>`)}
${people.length === 0 && html`<tr><td colspan="4">Nobody matches.</td></tr>`}
</tbody>
`)}
${pagination(view, { q: query.q, role: query.role }, query.page, total)}
</div>`)
}

type ListedInvitation = Omit<Invitation, 'token_hash'>

export interface InviteForm { email?: string, name?: string | null, role?: string, lambda_week?: string, organization_id?: string }

/** An organization the ADMINISTRATOR, who belongs to none, picks to invite to. */
export interface OrganizationChoice { id: number, name: string }

/** What staff must see once, right after creating or resending: the link that accepts it. */
export interface IssuedLink { email: string, accept_url: string, email_sent: boolean, email_error?: string }

export interface InvitationsQuery { status?: string, page: number }

/** `organizations`: given to the ADMINISTRATOR, who picks the organization and sees each invitation's. */
export function invitationsPage (view: View, query: InvitationsQuery, invitations: ListedInvitation[], total: number, form: InviteForm, problems: Problems, issued?: IssuedLink, organizations?: OrganizationChoice[]): Html {
  const organizationNames = new Map(organizations?.map(({ id, name }) => [id, name]))
  return layout(view, 'Invitations', html`
${issued && html`<article role="status" id="issued">
<p>Invitation for <strong>${issued.email}</strong> ready. ${issued.email_sent ? 'It was emailed.' : issued.email_error ?? 'No email is sent by this server: share the link.'}</p>
<p>Link to accept it (shown only now): <a class="secret" href="${issued.accept_url}" id="accept-url">${issued.accept_url}</a></p>
</article>`}
<section aria-labelledby="invite">
<h2 id="invite">Invite one person</h2>
<form method="post" action="/staff/invitations" novalidate>
${csrfField(view)}
${formProblem(problems)}
${organizations && select({
  name: 'organization_id',
  label: 'Organization',
  value: form.organization_id,
  problems,
  choices: [['', 'Choose the organization'], ...organizations.map(({ id, name }) => [String(id), name] as const)]
})}
<div class="grid">
${field({ name: 'email', label: 'Email', type: 'email', value: form.email, problems, required: true })}
${field({ name: 'name', label: 'Name (optional)', value: form.name, problems })}
${select({ name: 'role', label: 'Role', value: form.role ?? 'MENTEE', problems, choices: INVITATION_ROLES.map((role) => [role, role] as const) })}
${field({ name: 'lambda_week', label: "Cohort week (optional: a mentee's profile starts from it)", type: 'number', value: form.lambda_week, problems, min: 1, max: 1000 })}
</div>
<button type="submit">Invite</button>
</form>
</section>
<section aria-labelledby="sent">
<h2 id="sent">Invitations sent</h2>
${statusFilter('/staff/invitations', query.status, INVITATION_STATUSES)}
${table(html`
<thead><tr>${organizations && html`<th scope="col">Organization</th>`}<th scope="col">Email</th><th scope="col">Name</th><th scope="col">Role</th><th scope="col">Week</th><th scope="col">Status</th><th scope="col">Expires</th><th scope="col">Actions</th></tr></thead>
<tbody>
${invitations.map((invitation) => html`<tr>
${organizations && html`<td>${organizationNames.get(invitation.organization_id) ?? ''}</td>`}<td>${invitation.email}</td><td>${invitation.name ?? ''}</td><td>${invitation.role}</td><td>${invitation.lambda_week ?? ''}</td><td>${invitation.status}</td><td>${invitation.expires_at.slice(0, 10)}</td>
<td class="actions">
${invitation.status !== 'ACCEPTED' && html`<form method="post" action="/staff/invitations/${invitation.id}">${csrfField(view)}<input type="hidden" name="action" value="resend"><button type="submit" class="secondary" aria-label="Resend the invitation of ${invitation.email}">Resend</button></form>`}
<form method="post" action="/staff/invitations/${invitation.id}">${csrfField(view)}<input type="hidden" name="action" value="revoke"><button type="submit" class="secondary outline" aria-label="Revoke the invitation of ${invitation.email}">Revoke</button></form>
</td></tr>`)}
${invitations.length === 0 && html`<tr><td colspan="${organizations ? 8 : 7}">No invitations.</td></tr>`}
</tbody>
`)}
${pagination(view, { status: query.status }, query.page, total)}
</section>`)
}

export interface PendingProfile {
  kind: 'mentor' | 'mentee'
  id: number
  created_at: string
  user: { first_name: string | null, last_name: string | null, email: string }
  details: string
}

export function approvalsPage (view: View, profiles: PendingProfile[], problems: Problems): Html {
  return layout(view, 'Approvals', html`
<p>Mentor and mentee profiles wait here until staff approve them (they become AVAILABLE for matching) or decline them (the profile is deleted).</p>
${formProblem(problems)}
${table(html`
<thead><tr><th scope="col">Person</th><th scope="col">Profile</th><th scope="col">Details</th><th scope="col">Since</th><th scope="col">Decision</th></tr></thead>
<tbody>
${profiles.map((profile) => html`<tr>
<td>${fullName(profile.user)}<br><small>${profile.user.email}</small></td><td>${profile.kind}</td><td>${profile.details}</td><td>${profile.created_at.slice(0, 10)}</td>
<td class="actions">
<form method="post" action="/staff/approvals">${csrfField(view)}<input type="hidden" name="kind" value="${profile.kind}"><input type="hidden" name="id" value="${profile.id}"><input type="hidden" name="decision" value="approve"><button type="submit" aria-label="Approve the ${profile.kind} profile of ${fullName(profile.user)}">Approve</button></form>
<form method="post" action="/staff/approvals">${csrfField(view)}<input type="hidden" name="kind" value="${profile.kind}"><input type="hidden" name="id" value="${profile.id}"><input type="hidden" name="decision" value="decline"><button type="submit" class="secondary outline" aria-label="Decline the ${profile.kind} profile of ${fullName(profile.user)}">Decline</button></form>
</td></tr>`)}
${profiles.length === 0 && html`<tr><td colspan="5">Nothing waits for approval.</td></tr>`}
</tbody>
`)}`)
}

interface Party { user: { first_name: string | null, last_name: string | null } }
export interface ListedMatch {
  id: number
  status: string
  match_score: number | null
  start_date: string | null
  end_date: string | null
  cancel_reason: string | null
  mentor: Party
  mentee: Party
}

export interface MatchesQuery { status?: string, page: number }

export function matchesPage (view: View, query: MatchesQuery, matches: ListedMatch[], total: number, problems: Problems): Html {
  return layout(view, 'Matches', html`
${statusFilter('/staff/matches', query.status, MATCH_STATUSES)}
${formProblem(problems)}
${table(html`
<thead><tr><th scope="col">Mentor</th><th scope="col">Mentee</th><th scope="col">Status</th><th scope="col">Score</th><th scope="col">Started</th><th scope="col">Actions</th></tr></thead>
<tbody>
${matches.map((match) => html`<tr>
<td>${fullName(match.mentor.user)}</td><td>${fullName(match.mentee.user)}</td><td>${match.status}${match.cancel_reason ? html`<br><small>${match.cancel_reason}</small>` : ''}</td>
<td>${match.match_score ?? ''}</td><td>${moment(match.start_date)}</td>
<td>${match.status === 'ACTIVE' && html`<div class="actions">
<form method="post" action="/staff/matches/${match.id}">${csrfField(view)}<input type="hidden" name="status" value="COMPLETED"><button type="submit" aria-label="Complete the match of ${fullName(match.mentee.user)} with ${fullName(match.mentor.user)}">Complete</button></form>
<form method="post" action="/staff/matches/${match.id}">${csrfField(view)}<input type="hidden" name="status" value="CANCELLED">
<label for="reason-${match.id}" class="visually-hidden">Why cancel</label><input id="reason-${match.id}" name="cancel_reason" placeholder="Why (optional)">
<button type="submit" class="secondary outline" aria-label="Cancel the match of ${fullName(match.mentee.user)} with ${fullName(match.mentor.user)}">Cancel</button></form>
</div>`}</td></tr>`)}
${matches.length === 0 && html`<tr><td colspan="6">No matches.</td></tr>`}
</tbody>
`)}
${pagination(view, { status: query.status }, query.page, total)}`)
}

export function meetingsPage (view: View, page: number, meetings: Array<Meeting & { match?: ListedMatch }>, total: number): Html {
  return layout(view, 'Meetings', html`
${table(html`
<thead><tr><th scope="col">When</th><th scope="col">Mentor</th><th scope="col">Mentee</th><th scope="col">Where</th><th scope="col">Rating</th><th scope="col">Notes</th></tr></thead>
<tbody>
${meetings.map((meeting) => html`<tr>
<td>${moment(meeting.meeting_date)}</td><td>${meeting.match ? fullName(meeting.match.mentor.user) : ''}</td><td>${meeting.match ? fullName(meeting.match.mentee.user) : ''}</td>
<td>${meeting.location}</td><td>${meeting.rating ?? ''}</td><td>${meeting.notes ?? ''}</td></tr>`)}
${meetings.length === 0 && html`<tr><td colspan="6">No meetings yet.</td></tr>`}
</tbody>
`)}
${pagination(view, {}, page, total)}`)
}
