import type { Experience } from '../../domain/experiences'
import type { Meeting } from '../../domain/meetings'
import type { NotificationView } from '../../domain/notifications'
import { html, type Html } from '../html'
import { csrfField, field, formProblem, fullName, layout, moment, pagination, type Problems, select, textArea, table, type View } from '../layout'
import type { ListedMatch } from './staff'

export interface MentorProfileView { id: number, status: string, capacity: number, bio: string | null }
export interface MenteeProfileView { id: number, status: string, lambda_week: number, interests: string | null, desired_zip: string | null, wanted_mentor_id: number | null }

const statusNote = (status: string | undefined) => {
  if (status === undefined) return html`<p>You have no profile yet: fill it in, and staff will approve it.</p>`
  if (status === 'PENDING') return html`<p role="status">Your profile is <strong>PENDING</strong>: staff approve it before you can be matched.</p>`
  return html`<p role="status">Your profile is <strong>${status}</strong>.</p>`
}

/** A profile form of either kind: the profile's status above it, then the kind's own fields. */
const profileForm = (view: View, kind: 'mentor' | 'mentee', profile: { status: string } | undefined, problems: Problems, fields: Html) => html`
${statusNote(profile?.status)}
<form method="post" action="/me/profile" novalidate>
${csrfField(view)}
<input type="hidden" name="kind" value="${kind}">
${formProblem(problems)}
${fields}
<button type="submit">${profile ? 'Save' : 'Create my profile'}</button>
</form>`

export function mentorProfilePage (view: View, profile: MentorProfileView | undefined, form: Record<string, string | number | null | undefined>, problems: Problems, experiences: Experience[], experienceProblems: Problems): Html {
  return layout(view, 'My mentor profile', html`
${profileForm(view, 'mentor', profile, problems, html`
${textArea({ name: 'bio', label: 'About you: what you know and how you like to mentor', value: form.bio ?? profile?.bio, problems })}
${field({ name: 'capacity', label: 'How many mentees you can take at once', type: 'number', min: 1, value: form.capacity ?? profile?.capacity ?? 1, problems })}`)}
<section aria-labelledby="experiences">
<h2 id="experiences">My experiences</h2>
<ul>${experiences.map((experience) => html`<li>${experience.name}</li>`)}</ul>
${experiences.length === 0 && html`<p>None yet: they help staff find you the right mentees.</p>`}
<form method="post" action="/me/experiences" novalidate>
${csrfField(view)}
${formProblem(experienceProblems)}
${field({ name: 'name', label: 'Add an experience (a skill, a background)', problems: experienceProblems })}
<button type="submit" class="secondary">Add</button>
</form>
</section>`)
}

export function menteeProfilePage (view: View, profile: MenteeProfileView | undefined, form: Record<string, string | number | null | undefined>, problems: Problems, mentors: Array<{ id: number, user: { first_name: string | null, last_name: string | null } }>): Html {
  const mentorChoices = [['', 'No preference'], ...mentors.map((mentor) => [String(mentor.id), fullName(mentor.user)] as const)] as const
  return layout(view, 'My mentee profile', profileForm(view, 'mentee', profile, problems, html`
${textArea({ name: 'interests', label: 'What you want to learn (comma-separated interests)', value: form.interests ?? profile?.interests, problems })}
<div class="grid">
${field({ name: 'lambda_week', label: 'Your cohort week', type: 'number', min: 1, value: form.lambda_week ?? profile?.lambda_week, problems, required: true })}
${field({ name: 'desired_zip', label: 'Your ZIP code (optional)', value: form.desired_zip ?? profile?.desired_zip, problems })}
</div>
${select({ name: 'wanted_mentor_id', label: 'A mentor you would like (optional)', value: form.wanted_mentor_id ?? profile?.wanted_mentor_id, problems, choices: mentorChoices })}`))
}

export interface MyMatch extends ListedMatch { meetings: Meeting[] }

function ratingForm (view: View, meeting: Meeting, problems: Problems): Html {
  const id = `rating-${meeting.id}`
  const problem = problems[`rating-${meeting.id}`]
  return html`<form method="post" action="/me/meetings/${meeting.id}" class="actions">${csrfField(view)}
<label for="${id}">Rate this meeting
<select id="${id}" name="rating"${problem ? html` aria-invalid="true" aria-describedby="${id}-error"` : ''}>
${[5, 4, 3, 2, 1].map((value) => html`<option value="${value}"${meeting.rating === value ? html` selected` : ''}>${value}</option>`)}
</select></label>
<button type="submit" class="secondary">Rate</button>
${problem && html`<small id="${id}-error" class="error">${problem}</small>`}
</form>`
}

export function myMatchesPage (view: View, matches: MyMatch[], recordForm: { match_id?: string } & Record<string, string | undefined>, problems: Problems): Html {
  // A refusal about no match of this page (another's match or meeting) shows above them all.
  const elsewhere = !matches.some((match) => String(match.id) === recordForm.match_id)
  return layout(view, 'My matches', html`
${elsewhere && formProblem(problems)}
${matches.length === 0 && html`<p>No match yet. Once staff approve your profile and match you, it shows here.</p>`}
${matches.map((match) => html`<article aria-labelledby="match-${match.id}">
<header><h2 id="match-${match.id}">${fullName(match.mentor.user)} mentors ${fullName(match.mentee.user)}</h2>
<small>${match.status}${match.start_date && html`, since ${moment(match.start_date)}`}</small></header>
<h3>Meetings</h3>
${match.meetings.length === 0
? html`<p>No meeting recorded yet.</p>`
: table(html`
<thead><tr><th scope="col">When</th><th scope="col">Where</th><th scope="col">Notes</th><th scope="col">Rating</th></tr></thead>
<tbody>${match.meetings.map((meeting) => html`<tr><td>${moment(meeting.meeting_date)}</td><td>${meeting.location}</td><td>${meeting.notes ?? ''}</td>
<td>${meeting.rating ?? 'not rated'}${ratingForm(view, meeting, problems)}</td></tr>`)}</tbody>
`)}
${match.status === 'ACTIVE' && html`<details${String(match.id) === recordForm.match_id ? html` open` : ''}>
<summary>Record a meeting</summary>
<form method="post" action="/me/meetings" novalidate>
${csrfField(view)}
<input type="hidden" name="match_id" value="${match.id}">
${String(match.id) === recordForm.match_id && formProblem(problems)}
<div class="grid">
${field({ name: 'meeting_date', label: 'When (UTC)', type: 'datetime-local', value: String(match.id) === recordForm.match_id ? recordForm.meeting_date : undefined, problems: String(match.id) === recordForm.match_id ? problems : {}, required: true })}
${field({ name: 'location', label: 'Where', value: String(match.id) === recordForm.match_id ? recordForm.location : undefined, problems: String(match.id) === recordForm.match_id ? problems : {}, required: true })}
</div>
${textArea({ name: 'notes', label: 'Notes (optional)', value: String(match.id) === recordForm.match_id ? recordForm.notes : undefined, problems: String(match.id) === recordForm.match_id ? problems : {} })}
<button type="submit">Record the meeting</button>
</form>
</details>`}
</article>`)}`)
}

export function notificationRow (view: View, notification: NotificationView): Html {
  return html`<tr id="notification-${notification.id}"${notification.watched ? '' : html` class="unread"`}>
<td>${moment(notification.created_at)}</td><td>${notification.content}${notification.about
    ? html` <small>(${[notification.about.first_name, notification.about.last_name].filter(Boolean).join(' ')})</small>`
    : ''}</td>
<td>${notification.watched
    ? 'read'
    : html`<form method="post" action="/me/notifications/${notification.id}" hx-post="/me/notifications/${notification.id}" hx-target="#notification-${notification.id}" hx-swap="outerHTML">${csrfField(view)}<button type="submit" class="secondary outline">Mark read</button></form>`}</td>
</tr>`
}

export function notificationsPage (view: View, page: number, notifications: NotificationView[], total: number, unread: number): Html {
  return layout(view, 'Notifications', html`
<p>${unread} unread.</p>
${unread > 0 && html`<form method="post" action="/me/notifications">${csrfField(view)}<button type="submit" class="secondary">Mark all read</button></form>`}
${table(html`
<thead><tr><th scope="col">When</th><th scope="col">What</th><th scope="col"><span class="visually-hidden">Read</span></th></tr></thead>
<tbody>
${notifications.map((notification) => notificationRow(view, notification))}
${notifications.length === 0 && html`<tr><td colspan="3">Nothing yet.</td></tr>`}
</tbody>
`)}
${pagination(view, {}, page, total)}`)
}
