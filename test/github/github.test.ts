import type { AddressInfo } from 'node:net'
import t from 'tap'
import { bearer, buildApp, call, createUser, registerOrganization, rowsOf } from '../helper'
import { type Account, type Browser, browser, CLIENT_ID, CLIENT_SECRET, gitHubStandIn } from './stand-in'

type T = Parameters<typeof buildApp>[0]
type Row = Record<string, unknown>

/** The real app listening on 127.0.0.1, pointed at the stand-in GitHub. */
async function serve (t: T, github: Awaited<ReturnType<typeof gitHubStandIn>>, config: Parameters<typeof buildApp>[1] = {}) {
  const app = await buildApp(t, {
    GITHUB_CLIENT_ID: CLIENT_ID,
    GITHUB_CLIENT_SECRET: CLIENT_SECRET,
    GITHUB_URL: github.url,
    GITHUB_API_URL: github.apiUrl,
    AUTH_RATE_LIMIT: 1000,
    ...config
  })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
  return { app, base }
}

/** Start, GitHub's authorize page, the callback: each redirect followed by hand, cookies carried. */
async function roundTrip (client: Browser, start: string) {
  const toGitHub = await client.get(start)
  const back = toGitHub.status === 302 ? await client.get(toGitHub.headers.get('location')!) : undefined
  const callback = back?.status === 302 ? back.headers.get('location')! : undefined
  const final = callback ? await client.get(callback) : toGitHub
  // Parsed like the helper's `call`: tests read the fields they expect.
  const body: any = await final.json().catch(() => undefined)
  return { toGitHub, callback, final, body }
}

const snapshot = (app: Awaited<ReturnType<typeof serve>>['app']) => ({ users: rowsOf(app, 'users'), invitations: rowsOf(app, 'invitations') })

let nextGitHubId = 1000
function account (emails: Account['emails'], fields: Partial<Account> = {}): Account {
  const id = ++nextGitHubId
  return { id, login: `octo${id}`, name: 'Octo Cat', emails, ...fields }
}

t.test('without GITHUB_CLIENT_ID the GitHub routes answer 503 and the rest runs', async (t) => {
  const app = await buildApp(t)
  const owner = await registerOrganization(app)
  const invitation = await call(app, 'POST', '/api/invitations', { headers: owner.headers, payload: { email: 'x@example.com' } })
  t.equal(invitation.status, 201)
  for (const url of ['/api/auth/github', '/api/auth/github/callback?code=x&state=y', `/api/invitations/${invitation.body.token}/github`]) {
    const res = await call(app, 'GET', url)
    t.equal(res.status, 503, url)
    t.same(res.body, { error: 'Sign-in with GitHub is not configured on this server (GITHUB_CLIENT_ID is unset)' })
  }
})

t.test('a client id without a secret stops the server from starting', async (t) => {
  await t.rejects(buildApp(t, { GITHUB_CLIENT_ID: CLIENT_ID }), /GITHUB_CLIENT_SECRET is required when GITHUB_CLIENT_ID is set/)
})

t.test('sign-in with GitHub, answered as JSON (no APP_URL)', async (t) => {
  const github = await gitHubStandIn(t)
  const { app, base } = await serve(t, github)
  const owner = await registerOrganization(app)
  const org = owner.organization.id

  t.test('/api/auth/github: 302 to the authorize page with state, PKCE S256, the scopes and the callback', async (t) => {
    const client = browser()
    const res = await client.get(`${base}/api/auth/github`)
    t.equal(res.status, 302)
    const location = new URL(res.headers.get('location')!)
    t.equal(`${location.origin}${location.pathname}`, `${github.url}/login/oauth/authorize`)
    t.equal(location.searchParams.get('client_id'), CLIENT_ID)
    t.equal(location.searchParams.get('redirect_uri'), `${base}/api/auth/github/callback`)
    t.equal(location.searchParams.get('scope'), 'read:user user:email')
    t.equal(location.searchParams.get('code_challenge_method'), 'S256')
    t.match(location.searchParams.get('code_challenge'), /^[A-Za-z0-9_-]{43}$/)
    t.match(location.searchParams.get('state'), /^[A-Za-z0-9_-]{22,}$/)
    const cookies = res.headers.getSetCookie()
    t.equal(cookies.length, 2, 'the state and the PKCE verifier')
    for (const cookie of cookies) {
      t.match(cookie, /; Path=\/api\/auth\/github/)
      t.match(cookie, /; HttpOnly/)
      t.match(cookie, /; SameSite=Lax/)
      t.match(cookie, /; Max-Age=600/)
    }
  })

  t.test('a linked user signs in; a changed GitHub login is kept up to date', async (t) => {
    const member = await createUser(app, org, 'MENTOR', { github_id: 4242, github_login: 'old-login' })
    github.as = account([{ email: 'someone-else@example.com', verified: true, primary: true }], { id: 4242, login: 'new-login' })
    const { callback, final, body } = await roundTrip(browser(), `${base}/api/auth/github`)
    t.match(callback, `${base}/api/auth/github/callback?code=`)
    t.equal(final.status, 200)
    t.equal(body.user.id, member.user.id)
    t.equal(body.user.github_login, 'new-login')
    t.notOk('github_id' in body.user)
    const me = await call(app, 'GET', '/api/users/current_user', { headers: bearer(body.token) })
    t.equal(me.body.id, member.user.id, 'the token is a real session')
    t.equal(github.tokenRequests.at(-1)?.redirect_uri, `${base}/api/auth/github/callback`)
    t.match(github.tokenRequests.at(-1)?.code_verifier, /^[A-Za-z0-9_-]{43}$/, 'the PKCE verifier was sent')
  })

  t.test('the round trip clears its cookies', async (t) => {
    const client = browser()
    github.as = account([], { id: 4242 })
    const { final } = await roundTrip(client, `${base}/api/auth/github`)
    t.equal(final.status, 200)
    t.equal(client.cookies.size, 0)
  })

  t.test('a verified email links the account; an unverified one does not', async (t) => {
    const unverified = await createUser(app, org, 'MENTEE')
    const verified = await createUser(app, org, 'MENTEE')
    const before = snapshot(app)
    github.as = account([{ email: unverified.user.email.toUpperCase(), verified: false, primary: true }])
    const refused = await roundTrip(browser(), `${base}/api/auth/github`)
    t.equal(refused.final.status, 403)
    t.same(refused.body, { error: 'No MentorMatchr user has this GitHub account or one of its verified emails: ask your organization for an invitation' })
    t.same(snapshot(app), before, 'nothing linked')

    const linking = account([
      { email: 'primary@elsewhere.example', verified: true, primary: true },
      { email: verified.user.email.toUpperCase(), verified: true }
    ], { login: 'linked-octo' })
    github.as = linking
    const linked = await roundTrip(browser(), `${base}/api/auth/github`)
    t.equal(linked.final.status, 200)
    t.equal(linked.body.user.id, verified.user.id)
    t.equal(linked.body.user.github_login, 'linked-octo')
    const row = rowsOf(app, 'users').find((u) => (u as Row).id === verified.user.id) as Row
    t.equal(row.github_id, linking.id)
    t.equal(row.github_login, 'linked-octo')

    github.as = { ...linking, emails: [] }
    const again = await roundTrip(browser(), `${base}/api/auth/github`)
    t.equal(again.body.user.id, verified.user.id, 'the next time, the GitHub id alone finds the user')
  })

  t.test('refusals: unknown account, deleted user, user linked to another account (403, nothing written)', async (t) => {
    const deleted = await createUser(app, org, 'MENTEE', { deleted: true })
    const deletedLinked = await createUser(app, org, 'MENTEE', { deleted: true, github_id: 777 })
    const taken = await createUser(app, org, 'MENTEE', { github_id: 778 })
    const cases: Array<[Account, string]> = [
      [account([{ email: 'nobody@example.com', verified: true, primary: true }]),
        'No MentorMatchr user has this GitHub account or one of its verified emails: ask your organization for an invitation'],
      [account([{ email: deleted.user.email, verified: true }]), 'This MentorMatchr user has been deleted: ask your organization to restore it'],
      [account([], { id: 777 }), 'This MentorMatchr user has been deleted: ask your organization to restore it'],
      [account([{ email: taken.user.email, verified: true }]), 'This MentorMatchr user is linked to another GitHub account']
    ]
    t.ok(deletedLinked)
    for (const [who, error] of cases) {
      const before = snapshot(app)
      github.as = who
      const { final, body } = await roundTrip(browser(), `${base}/api/auth/github`)
      t.equal(final.status, 403, error)
      t.same(body, { error })
      t.same(snapshot(app), before)
    }
  })

  t.test('a tampered, missing or cookie-less state: 400, no code exchanged', async (t) => {
    const member = await createUser(app, org, 'MENTOR', { github_id: 5151 })
    github.as = account([], { id: member.user.github_id! })
    const STATE_ERROR = { error: 'The sign-in state is missing or does not match: start again from /api/auth/github' }

    async function callbackOf (client: Browser) {
      const toGitHub = await client.get(`${base}/api/auth/github`)
      const back = await client.get(toGitHub.headers.get('location')!)
      return new URL(back.headers.get('location')!)
    }

    const exchanges = github.tokenRequests.length
    const tampered = browser()
    const tamperedUrl = await callbackOf(tampered)
    tamperedUrl.searchParams.set('state', tamperedUrl.searchParams.get('state')!.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')))
    const res1 = await tampered.get(tamperedUrl.href)
    t.equal(res1.status, 400)
    t.same(await res1.json(), STATE_ERROR)

    const missing = browser()
    const missingUrl = await callbackOf(missing)
    missingUrl.searchParams.delete('state')
    const res2 = await missing.get(missingUrl.href)
    t.equal(res2.status, 400)
    t.same(await res2.json(), STATE_ERROR)

    const elsewhere = await callbackOf(browser())
    const res3 = await browser().get(elsewhere.href)
    t.equal(res3.status, 400, 'another browser, without the state cookie')
    t.same(await res3.json(), STATE_ERROR)
    t.equal(github.tokenRequests.length, exchanges, 'no code was exchanged')
  })

  t.test('the PKCE verifier must come back: without it GitHub refuses the code (400)', async (t) => {
    github.as = account([], { id: 5151 })
    const client = browser()
    const toGitHub = await client.get(`${base}/api/auth/github`)
    const back = await client.get(toGitHub.headers.get('location')!)
    for (const key of client.cookies.keys()) if (key.endsWith('verifier')) client.cookies.delete(key)
    const res = await client.get(back.headers.get('location')!)
    t.equal(res.status, 400)
    t.same(await res.json(), { error: 'GitHub did not accept the sign-in code: start again from /api/auth/github' })
  })

  t.test('GitHub refusing or failing the code exchange: 400', async (t) => {
    github.as = account([], { id: 5151 })
    for (const failure of ['refuse', 'crash'] as const) {
      github.tokenFailure = failure
      const before = snapshot(app)
      const { final, body } = await roundTrip(browser(), `${base}/api/auth/github`)
      t.equal(final.status, 400, failure)
      t.same(body, { error: 'GitHub did not accept the sign-in code: start again from /api/auth/github' })
      t.same(snapshot(app), before)
    }
    github.tokenFailure = undefined
  })

  t.test('the GitHub API failing after the exchange: 502, nothing written', async (t) => {
    github.as = account([], { id: 5151 })
    for (const failure of ['crash', 'garbage'] as const) {
      github.apiFailure = failure
      const before = snapshot(app)
      const { final, body } = await roundTrip(browser(), `${base}/api/auth/github`)
      t.equal(final.status, 502, failure)
      t.same(body, { error: 'GitHub did not tell who signed in: try again later' })
      t.same(snapshot(app), before)
    }
    github.apiFailure = undefined
  })

  t.test('the person declining at GitHub: 400', async (t) => {
    const client = browser()
    const toGitHub = await client.get(`${base}/api/auth/github`)
    const state = new URL(toGitHub.headers.get('location')!).searchParams.get('state')
    const res = await client.get(`${base}/api/auth/github/callback?error=access_denied&error_description=The+user+has+denied+your+application+access.&state=${state}`)
    t.equal(res.status, 400)
    t.same(await res.json(), { error: 'GitHub did not complete the sign-in (The user has denied your application access.): start again from /api/auth/github' })
    t.equal(client.cookies.size, 0, 'the round trip cookies are cleared')
  })
})

t.test('accepting an invitation through GitHub', async (t) => {
  const github = await gitHubStandIn(t)
  const { app, base } = await serve(t, github)
  const owner = await registerOrganization(app)
  const org = owner.organization.id

  async function invite (email: string, role = 'MENTOR') {
    const res = await call(app, 'POST', '/api/invitations', { headers: owner.headers, payload: { email, role, name: 'Invited Person' } })
    t.equal(res.status, 201)
    return res.body as { id: number, token: string, email: string }
  }

  t.test('the callback creates the invited user, links GitHub, marks the invitation ACCEPTED, signs in', async (t) => {
    const invitation = await invite('invitee@example.com')
    const who = account([
      { email: 'private@example.com', verified: true, primary: true },
      { email: 'Invitee@Example.com', verified: true }
    ], { name: 'Margaret Heafield Hamilton' })
    github.as = who
    const client = browser()
    const { toGitHub, final, body } = await roundTrip(client, `${base}/api/invitations/${invitation.token}/github`)
    t.equal(toGitHub.status, 302)
    t.match(toGitHub.headers.get('location'), `${github.url}/login/oauth/authorize?`)
    t.notMatch(toGitHub.headers.get('location'), invitation.token, 'the invitation token is not sent to GitHub')
    t.equal(final.status, 200)
    t.match(body.user, {
      email: 'invitee@example.com',
      role: 'MENTOR',
      organization_id: org,
      first_name: 'Margaret',
      last_name: 'Heafield Hamilton',
      github_login: who.login,
      avatar_url: `https://avatars.example/${who.id}`
    })
    const row = rowsOf(app, 'users').find((u) => (u as Row).id === body.user.id) as Row
    t.equal(row.github_id, who.id)
    t.equal(row.password_hash, null, 'no password: this user signs in with GitHub')
    const stored = rowsOf(app, 'invitations').find((i) => (i as Row).id === invitation.id) as Row
    t.equal(stored.status, 'ACCEPTED')
    t.equal(client.cookies.size, 0, 'every round trip cookie is cleared')

    t.test('used once: the invitation then answers 410', async (t) => {
      const res = await browser().get(`${base}/api/invitations/${invitation.token}/github`)
      t.equal(res.status, 410)
      t.same(await res.json(), { error: 'This invitation has already been accepted: sign in instead' })
    })

    t.test('afterwards the same GitHub account simply signs in', async (t) => {
      const again = await roundTrip(browser(), `${base}/api/auth/github`)
      t.equal(again.body.user.id, body.user.id)
    })
  })

  t.test("none of the account's verified emails is the invitation's: 403, nothing written", async (t) => {
    const invitation = await invite('wanted@example.com')
    const before = snapshot(app)
    for (const emails of [
      [{ email: 'other@example.com', verified: true, primary: true }],
      [{ email: 'wanted@example.com', verified: false, primary: true }]
    ]) {
      github.as = account(emails)
      const { final, body } = await roundTrip(browser(), `${base}/api/invitations/${invitation.token}/github`)
      t.equal(final.status, 403)
      t.same(body, { error: 'This invitation is for wanted@example.com, which is not a verified email of this GitHub account' })
      t.same(snapshot(app), before)
    }
  })

  t.test('an email registered meanwhile (409), a GitHub account already linked (409), an invitation expired meanwhile (410)', async (t) => {
    const registered = await invite('late@example.com')
    const linked = await invite('linked@example.com')
    const expiring = await invite('expiring@example.com')
    await createUser(app, org, 'MENTEE', { github_id: 8080 })
    const cases: Array<[string, Account, () => unknown, number, string]> = [
      [registered.token, account([{ email: 'late@example.com', verified: true }]),
        () => createUser(app, org, 'USER', { email: 'late@example.com' }),
        409, 'A user with this email is already registered: sign in instead'],
      [linked.token, account([{ email: 'linked@example.com', verified: true }], { id: 8080 }), () => {},
        409, 'This GitHub account already belongs to a MentorMatchr user: sign in with GitHub instead'],
      [expiring.token, account([{ email: 'expiring@example.com', verified: true }]),
        () => { app.sqlite.prepare('UPDATE invitations SET expires_at = ? WHERE id = ?').run(new Date(Date.now() - 1000).toISOString(), expiring.id) },
        410, 'This invitation has expired: ask the organization for a new one']
    ]
    for (const [id, who, meanwhile, status, error] of cases) {
      github.as = who
      const client = browser()
      const toGitHub = await client.get(`${base}/api/invitations/${id}/github`)
      t.equal(toGitHub.status, 302)
      const back = await client.get(toGitHub.headers.get('location')!)
      await meanwhile()
      const before = snapshot(app)
      const res = await client.get(back.headers.get('location')!)
      t.equal(res.status, status, error)
      t.same(await res.json(), { error })
      t.same(snapshot(app), before)
    }
  })

  t.test('unknown or guessed invitations: 404 before any redirect', async (t) => {
    for (const id of ['123', 'no-such-invitation']) {
      const res = await browser().get(`${base}/api/invitations/${id}/github`)
      t.equal(res.status, 404)
      t.same(await res.json(), { error: 'Invitation not found' })
      t.same(res.headers.getSetCookie(), [])
    }
  })

  t.test('an abandoned invitation round trip does not carry into a later plain sign-in', async (t) => {
    const invitation = await invite('abandoned@example.com')
    const client = browser()
    const started = await client.get(`${base}/api/invitations/${invitation.token}/github`)
    t.equal(started.status, 302)
    t.equal(client.cookies.size, 3, 'state, verifier and invitation')
    github.as = account([{ email: 'abandoned@example.com', verified: true }])
    const before = snapshot(app)
    const { final, body } = await roundTrip(client, `${base}/api/auth/github`)
    t.equal(final.status, 403, 'the invitation belonged to another state: no user is created')
    t.match(body.error, /^No MentorMatchr user has this GitHub account/)
    t.same(snapshot(app), before)
    t.equal(client.cookies.size, 0)
  })
})

t.test('an unreachable GitHub API: 502', async (t) => {
  const github = await gitHubStandIn(t)
  // A port that was free a moment ago: nothing listens there any more.
  const probe = await gitHubStandIn(t)
  await probe.close()
  const { app, base } = await serve(t, { ...github, apiUrl: probe.apiUrl })
  const owner = await registerOrganization(app)
  await createUser(app, owner.organization.id, 'MENTOR', { github_id: 6060 })
  github.as = account([], { id: 6060 })
  const { final, body } = await roundTrip(browser(), `${base}/api/auth/github`)
  t.equal(final.status, 502)
  t.same(body, { error: 'GitHub did not tell who signed in: try again later' })
})

t.test('with APP_URL the callback redirects to the front end with the token in the fragment', async (t) => {
  const github = await gitHubStandIn(t)
  const { app, base } = await serve(t, github, { APP_URL: 'https://app.example.org/' })
  const owner = await registerOrganization(app)
  const member = await createUser(app, owner.organization.id, 'MENTOR', { github_id: 9090 })
  github.as = account([], { id: 9090 })
  const { final } = await roundTrip(browser(), `${base}/api/auth/github`)
  t.equal(final.status, 302)
  const location = final.headers.get('location')!
  const [where, token] = location.split('#token=')
  t.equal(where, 'https://app.example.org/auth/callback')
  const me = await call(app, 'GET', '/api/users/current_user', { headers: bearer(token!) })
  t.equal(me.status, 200)
  t.equal(me.body.id, member.user.id)

  const unknown = account([{ email: 'stranger@example.com', verified: true }])
  github.as = unknown
  const refused = await roundTrip(browser(), `${base}/api/auth/github`)
  t.equal(refused.final.status, 403, 'refusals stay JSON errors')
})

t.test('from the web app: signing in and accepting an invitation with GitHub start a session', async (t) => {
  const github = await gitHubStandIn(t)
  const { app, base } = await serve(t, github)
  const owner = await registerOrganization(app)
  const member = await createUser(app, owner.organization.id, 'MENTOR', { github_id: 6161 })
  github.as = account([], { id: 6161 })
  const client = browser()
  const signIn = await roundTrip(client, `${base}/sign-in/github`)
  t.equal(signIn.final.status, 303, 'the callback redirects instead of answering the token')
  t.equal(signIn.final.headers.get('location'), '/')
  const session = signIn.final.headers.getSetCookie().find((cookie) => cookie.startsWith('mentormatchr-session='))
  t.match(session, /HttpOnly/)
  const page = await fetch(`${base}/me/matches`, { headers: { cookie: session!.split(';')[0]! } })
  t.equal(page.status, 200, `signed in as ${member.user.email}`)
  t.same([...client.cookies.keys()].filter((key) => key.includes('github-page')), [], 'the mark is used once')

  const invitation = await call(app, 'POST', '/api/invitations', { headers: owner.headers, payload: { email: 'octo@example.com', role: 'MENTEE' } })
  github.as = account([{ email: 'octo@example.com', verified: true, primary: true }])
  const joined = await roundTrip(browser(), `${base}/invitations/${invitation.body.token}/github`)
  t.equal(joined.final.status, 303)
  t.match(rowsOf(app, 'users').at(-1), { email: 'octo@example.com', role: 'MENTEE' })
  const used = await fetch(`${base}/invitations/${invitation.body.token}/github`, { redirect: 'manual' })
  t.equal(used.status, 410, 'an accepted invitation: a page saying so')
  t.match(await used.text(), 'already been accepted')
})

t.test('the pages offer GitHub only when it is configured', async (t) => {
  const app = await buildApp(t)
  t.notMatch((await app.inject({ url: '/sign-in' })).body, '/sign-in/github')
  t.equal((await app.inject({ url: '/sign-in/github' })).statusCode, 503)
})
