import { splitName } from '../../domain/invitations'
import { html, type Html } from '../html'
import { csrfField, field, formProblem, layout, type Problems, type View } from '../layout'

export interface SignInForm { email?: string, next?: string }

/** Only a path of this site is followed after signing in, never another site's address. */
export const safeNext = (next: string | undefined) => next && /^\/(?!\/)/.test(next) && !next.includes('\\') ? next : '/'

export function signInPage (view: View, form: SignInForm, problems: Problems, gitHub: boolean): Html {
  return layout(view, 'Sign in', html`
<form method="post" action="/sign-in" novalidate>
${csrfField(view)}
<input type="hidden" name="next" value="${safeNext(form.next)}">
${formProblem(problems)}
${field({ name: 'email', label: 'Email', type: 'email', value: form.email, problems, required: true, autocomplete: 'username' })}
${field({ name: 'password', label: 'Password', type: 'password', problems, required: true, autocomplete: 'current-password' })}
<button type="submit">Sign in</button>
</form>
${gitHub && html`<p><a role="button" class="secondary" href="/sign-in/github">Sign in with GitHub</a></p>`}
<p>New here? <a href="/register">Register an organization</a>; invited people follow the link of their invitation.</p>`)
}

export interface RegisterForm { organization_name?: string, email?: string, first_name?: string | null, last_name?: string | null }

export function registerPage (view: View, form: RegisterForm, problems: Problems): Html {
  return layout(view, 'Register an organization', html`
<p>You become the OWNER of the new organization, and can then invite its staff, mentors and mentees.</p>
<form method="post" action="/register" novalidate>
${csrfField(view)}
${formProblem(problems)}
${field({ name: 'organization_name', label: 'Organization name', value: form.organization_name, problems, required: true, autocomplete: 'organization' })}
<div class="grid">
${field({ name: 'first_name', label: 'Your first name', value: form.first_name, problems, autocomplete: 'given-name' })}
${field({ name: 'last_name', label: 'Your last name', value: form.last_name, problems, autocomplete: 'family-name' })}
</div>
${field({ name: 'email', label: 'Your email', type: 'email', value: form.email, problems, required: true, autocomplete: 'username' })}
${field({ name: 'password', label: 'Password (at least 8 characters, not easy to guess)', type: 'password', problems, required: true, autocomplete: 'new-password' })}
<button type="submit">Register</button>
</form>`)
}

export interface InvitationOffer {
  email: string
  name: string | null
  role: string
  expires_at: string
  organization: { name: string }
}

export interface AcceptForm { first_name?: string | null, last_name?: string | null }

export function invitationPage (view: View, token: string, offer: InvitationOffer, typed: AcceptForm | undefined, problems: Problems, gitHub: boolean): Html {
  // The name staff wrote on the invitation, until the invitee types their own.
  const form = typed ?? splitName(offer.name)
  const action = `/invitations/${encodeURIComponent(token)}`
  return layout(view, `Join ${offer.organization.name}`, html`
<article>
<p><strong>${offer.organization.name}</strong> invites <strong>${offer.email}</strong> to join as <strong>${offer.role}</strong>.</p>
<p><small>The invitation expires on ${offer.expires_at.slice(0, 10)}.</small></p>
</article>
<form method="post" action="${action}" novalidate>
${csrfField(view)}
${formProblem(problems)}
<div class="grid">
${field({ name: 'first_name', label: 'First name', value: form.first_name, problems, autocomplete: 'given-name' })}
${field({ name: 'last_name', label: 'Last name', value: form.last_name, problems, autocomplete: 'family-name' })}
</div>
${field({ name: 'password', label: 'Choose a password (at least 8 characters, not easy to guess)', type: 'password', problems, required: true, autocomplete: 'new-password' })}
<button type="submit">Accept and sign in</button>
</form>
${gitHub && html`<p><a role="button" class="secondary" href="/invitations/${encodeURIComponent(token)}/github">Join with GitHub instead</a></p>`}`)
}

/** An invitation that cannot be used (unknown, expired, accepted): the API's words. */
export function invitationUnusable (view: View, message: string): Html {
  return layout(view, 'This invitation cannot be used', html`<p role="alert" id="failure">${message}</p><p><a href="/sign-in">Sign in</a></p>`)
}
