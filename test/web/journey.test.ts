import { join } from 'node:path'
import t from 'tap'
import { SESSION_COOKIE } from '../../plugins/web'
import { mentee, mentor, organization } from '../fixtures'
import { PASSWORD, listeningApp, rowsOf } from '../helper'
import { LAPTOP, launchBrowser, PHONE, personIn, screenshotDir } from './browser'

/**
 * The issue's journey in a real browser, one context per person: an OWNER registers and invites a
 * mentor and a mentee, who accept in their own browsers and fill in their profiles; staff approve
 * them, preview the cohort assignment and apply it; the mentor records a meeting, the mentee rates
 * it and reads the notifications. Then: every page fits a phone's width, a MENTEE cannot open staff
 * pages, a forged form without the CSRF token is refused, and signing out ends the session.
 */
t.test('the web app, from registration to a rated meeting, in Chromium', async (t) => {
  const { app, base } = await listeningApp(t, 'journey')
  const browser = await launchBrowser(t)
  const shots = screenshotDir()
  const owner = await personIn(browser, base)
  const mentor = await personIn(browser, base)
  const mentee = await personIn(browser, base)

  // The OWNER registers the organization and lands on the dashboard.
  await owner.page.goto('/')
  t.match(owner.page.url(), /\/sign-in\?next=%2F$/, 'a browser without a session is sent to sign in')
  await owner.page.getByRole('link', { name: 'Register an organization' }).first().click()
  await owner.page.getByLabel('Organization name').fill('Lambda Mentors')
  await owner.page.getByLabel('Your first name').fill('Grace')
  await owner.page.getByLabel('Your last name').fill('Hopper')
  await owner.page.getByLabel('Your email').fill('grace@example.com')
  await owner.page.getByLabel(/^Password/).fill('short')
  await owner.page.getByRole('button', { name: 'Register' }).click()
  t.equal(await owner.page.locator('#field-password-error').textContent(), 'password must NOT have fewer than 8 characters', "a refused field says why, in the API's words")
  await owner.page.getByLabel(/^Password/).fill(PASSWORD)
  await owner.page.getByRole('button', { name: 'Register' }).click()
  await owner.page.waitForURL(`${base}/`)
  t.equal(await owner.page.getByRole('heading', { level: 1 }).textContent(), 'Lambda Mentors: dashboard')

  // Invites a mentor and a mentee; the link to accept each is shown once.
  const invite = async (email: string, name: string, role: string) => {
    await owner.page.goto('/staff/invitations')
    await owner.page.getByLabel('Email', { exact: true }).fill(email)
    await owner.page.getByLabel('Name (optional)').fill(name)
    await owner.page.getByLabel('Role').selectOption(role)
    await owner.page.getByRole('button', { name: 'Invite' }).click()
    const link = await owner.page.locator('#accept-url').getAttribute('href')
    t.match(link, new RegExp(`^${base}/invitations/[\\w-]{43}$`), `${role}: accept_url is a page of this server`)
    return link!
  }
  const mentorLink = await invite('ada@example.com', 'Ada Lovelace', 'MENTOR')
  const menteeLink = await invite('alan@example.com', 'Alan Turing', 'MENTEE')
  t.equal(await owner.page.locator('tbody tr').count(), 2, 'both invitations listed')

  // Each accepts in their own browser.
  const accept = async (person: typeof mentor, link: string, screenshot?: string) => {
    await person.page.goto(link)
    t.match(await person.page.locator('main article').textContent(), /Lambda Mentors invites .* to join as (MENTOR|MENTEE)/)
    if (screenshot) await person.page.screenshot({ path: join(shots, screenshot), fullPage: true })
    await person.page.getByLabel(/^Choose a password/).fill(PASSWORD)
    await person.page.getByRole('button', { name: 'Accept and sign in' }).click()
    await person.page.waitForURL(`${base}/me/matches`)
  }
  await accept(mentor, mentorLink, 'invitation.png')
  await accept(mentee, menteeLink)
  t.equal((rowsOf(app, 'invitations') as Array<{ status: string }>).filter((row) => row.status === 'ACCEPTED').length, 2)

  // They fill in their profiles: PENDING until staff approve them.
  await mentor.page.getByRole('link', { name: 'My profile' }).click()
  await mentor.page.getByLabel(/^About you/).fill('Twenty years of JavaScript and data analysis.')
  await mentor.page.getByLabel(/^How many mentees/).fill('2')
  await mentor.page.getByRole('button', { name: 'Create my profile' }).click()
  t.match(await mentor.page.getByRole('status').textContent(), /PENDING/)
  await mentor.page.getByLabel(/^Add an experience/).fill('javascript')
  await mentor.page.getByRole('button', { name: 'Add' }).click()
  t.match(await mentor.page.locator('#experiences + ul').textContent(), 'javascript')

  await mentee.page.getByRole('link', { name: 'My profile' }).click()
  await mentee.page.getByLabel(/^What you want to learn/).fill('javascript, data')
  await mentee.page.getByLabel('Your cohort week').fill('0')
  await mentee.page.getByRole('button', { name: 'Create my profile' }).click()
  t.equal(await mentee.page.locator('#field-lambda_week-error').textContent(), 'lambda_week must be >= 1', 'the week is refused next to its field')
  await mentee.page.getByLabel('Your cohort week').fill('3')
  await mentee.page.getByRole('button', { name: 'Create my profile' }).click()
  t.match(await mentee.page.getByRole('status').textContent(), /PENDING/)

  // Staff approve both.
  await owner.page.goto('/staff/approvals')
  await owner.page.getByRole('button', { name: 'Approve the mentor profile of Ada Lovelace' }).click()
  await owner.page.getByRole('button', { name: 'Approve the mentee profile of Alan Turing' }).click()
  t.match(await owner.page.locator('tbody').textContent(), 'Nothing waits for approval.')

  // Preview the cohort assignment, then apply it.
  await owner.page.getByRole('link', { name: 'Matching' }).click()
  await owner.page.getByRole('button', { name: 'Preview the cohort assignment' }).click()
  const pair = owner.page.locator('table', { has: owner.page.locator('caption', { hasText: 'Pairs' }) }).locator('tbody tr')
  t.equal(await pair.count(), 1, 'one pair')
  t.match(await pair.textContent(), /Alan Turing\s*Ada Lovelace/)
  t.match(await pair.textContent(), /shared interests: javascript/, 'with its reasons')
  await owner.page.screenshot({ path: join(shots, 'matching.png'), fullPage: true })
  await owner.page.getByRole('button', { name: 'Apply: create this match' }).click()
  await owner.page.waitForURL(`${base}/staff/matches?status=ACTIVE`)
  t.match(await owner.page.locator('tbody tr').first().textContent(), /Ada Lovelace\s*Alan Turing\s*ACTIVE/)

  // The mentor records a meeting.
  await mentor.page.getByRole('link', { name: 'My matches' }).click()
  await mentor.page.getByText('Record a meeting').click()
  await mentor.page.getByLabel('When (UTC)').fill('2026-11-20T15:00')
  await mentor.page.getByLabel('Where').fill('The library')
  await mentor.page.getByLabel('Notes (optional)').fill('Closures and promises.')
  await mentor.page.getByRole('button', { name: 'Record the meeting' }).click()
  t.match(await mentor.page.locator('article table tbody').textContent(), /2026-11-20 15:00\s*The library\s*Closures and promises\.\s*not rated/)

  // The mentee rates it and reads the notifications.
  await mentee.page.getByRole('link', { name: 'My matches' }).click()
  await mentee.page.getByLabel('Rate this meeting').selectOption('5')
  await mentee.page.getByRole('button', { name: 'Rate' }).click()
  t.match(await mentee.page.locator('article table tbody td').nth(3).textContent(), /^5/)
  // Staff write to the mentee too (through the API), so there is more than one to read.
  const staffToken = app.issueToken(app.domain.accounts.activeUser((rowsOf(app, 'users') as Array<{ id: number, role: string }>).find((user) => user.role === 'OWNER')!.id)!)
  const menteeId = (rowsOf(app, 'users') as Array<{ id: number, email: string }>).find((user) => user.email === 'alan@example.com')!.id
  t.equal((await app.inject({ method: 'POST', url: '/api/notifications', headers: { authorization: `Bearer ${staffToken}` }, payload: { user_id: menteeId, content: 'Welcome to the program!' } })).statusCode, 201)
  await mentee.page.getByRole('link', { name: 'Notifications' }).click()
  const unread = mentee.page.locator('tr.unread')
  const notices = await unread.count()
  t.ok(notices >= 2, `${notices} unread notifications (matched, welcome)`)
  await unread.first().getByRole('button', { name: 'Mark read' }).click()
  // Waited for by a locator: waitForFunction evaluates its predicate with eval, which the page's CSP refuses.
  await unread.nth(notices - 1).waitFor({ state: 'detached' })
  t.equal(await unread.count(), notices - 1, 'marked read in place (htmx)')
  await mentee.page.getByRole('button', { name: 'Mark all read' }).click()
  t.equal(await unread.count(), 0, 'all read')
  t.match(await mentee.page.locator('main > p').first().textContent(), '0 unread.')

  // The dashboard now counts them.
  await owner.page.goto('/')
  const figure = (label: string) => owner.page.locator('article.figure', { hasText: label }).locator('.value').textContent()
  t.equal(await figure('Active matches'), '1')
  t.equal(await figure('Meetings in the last 30 days'), '1')
  t.equal(await figure('Average rating'), '5 / 5')
  t.equal(await figure('Pending approvals'), '0')
  await owner.page.screenshot({ path: join(shots, 'dashboard.png'), fullPage: true })

  // People: the search filters as one types (htmx), and the address follows.
  await owner.page.getByRole('link', { name: 'People' }).click()
  t.equal(await owner.page.locator('#people tbody tr').count(), 3)
  await owner.page.getByLabel('Search names and emails').fill('lovelace')
  await owner.page.waitForURL(/q=lovelace/)
  t.equal(await owner.page.locator('#people tbody tr').count(), 1, 'filtered in place')
  t.match(await owner.page.locator('#people tbody tr').textContent(), 'ada@example.com')

  // At a phone's width every page fits the screen: the links wrap, and a wide table scrolls in its own box.
  const pages: Array<[typeof owner, string[]]> = [
    [owner, ['/', '/staff/people', '/staff/invitations', '/staff/approvals', '/staff/matching', '/staff/matches', '/staff/requests', '/staff/meetings']],
    [mentee, ['/me/matches', '/me/profile', '/me/requests', '/me/notifications']]
  ]
  for (const [person, paths] of pages) {
    await person.page.setViewportSize(PHONE)
    for (const path of paths) {
      await person.page.goto(path)
      t.equal(await person.page.evaluate('document.documentElement.scrollWidth - window.innerWidth'), 0, `${path}: nothing wider than the screen`)
      const signOut = await person.page.getByRole('button', { name: 'Sign out' }).boundingBox()
      t.ok(signOut !== null && signOut.x + signOut.width <= PHONE.width, `${path}: the last link of the menu within reach`)
      if (path === '/staff/meetings') await person.page.screenshot({ path: join(shots, 'phone.png'), fullPage: true })
    }
    await person.page.setViewportSize(LAPTOP)
  }

  // A MENTEE cannot open staff pages.
  for (const path of ['/staff/people', '/staff/matching', '/staff/approvals']) {
    const response = await mentee.page.goto(path)
    t.equal(response?.status(), 403, `${path}: 403 for a MENTEE`)
    t.match(await mentee.page.getByRole('alert').textContent(), 'Not authorized')
  }
  t.notOk(await mentee.page.getByRole('link', { name: 'People' }).count(), 'nor sees links to them')

  // A forged form without the CSRF token is refused, and changes nothing.
  const before = rowsOf(app, 'invitations')
  await owner.page.goto('/staff/people')
  const forged = owner.page.waitForResponse((response) => response.url() === `${base}/staff/invitations` && response.request().method() === 'POST')
  // Run in the page (the test's TypeScript knows no DOM): a form like the invitation form, less its token.
  await owner.page.evaluate(`(() => {
    const form = document.createElement('form')
    form.method = 'post'
    form.action = '/staff/invitations'
    form.innerHTML = '<input name="email" value="mallory@example.com"><input name="role" value="OWNER">'
    document.body.append(form)
    form.submit()
  })()`)
  t.equal((await forged).status(), 403, 'refused')
  await owner.page.waitForLoadState()
  t.match(await owner.page.getByRole('alert').textContent(), 'Invalid csrf token')
  t.same(rowsOf(app, 'invitations'), before, 'nothing written')

  // Signing out ends the session.
  await mentor.page.getByRole('button', { name: 'Sign out' }).click()
  await mentor.page.waitForURL(`${base}/sign-in`)
  t.same((await mentor.context.cookies()).filter((cookie) => cookie.name === 'mentormatchr-session'), [], 'the session cookie is gone')
  await mentor.page.goto('/me/matches')
  t.match(mentor.page.url(), /\/sign-in\?next=%2Fme%2Fmatches$/, 'a page asks to sign in again')
  // And signing in again, with the keyboard alone, returns to the page asked for.
  const focused = () => mentor.page.evaluate('document.activeElement.textContent || document.activeElement.id')
  await mentor.page.keyboard.press('Tab')
  t.equal(await focused(), 'Skip to the content', 'the first Tab reaches the skip link')
  await mentor.page.focus('#field-email')
  await mentor.page.keyboard.type('ada@example.com')
  await mentor.page.keyboard.press('Tab')
  t.equal(await focused(), 'field-password', 'Tab goes on to the password')
  await mentor.page.keyboard.type(PASSWORD)
  await mentor.page.keyboard.press('Enter')
  await mentor.page.waitForURL(`${base}/me/matches`)

  for (const person of [owner, mentor, mentee]) t.same(person.problems, [], 'no Content-Security-Policy violation or script error')
})

/**
 * A mentee asks a mentor in the browser, the mentor accepts in one click, and the match shows for
 * both. The people are written by the fixtures; each browser carries the session a sign-in gives.
 */
t.test('a request in Chromium: the mentee asks, the mentor accepts, both see the match', async (t) => {
  const { app, base } = await listeningApp(t, 'request-journey')
  const browser = await launchBrowser(t)
  const { orgId } = await organization(app)
  const teacher = await mentor(app, orgId, { bio: 'SQL, data modelling and interviews.' })
  const learner = await mentee(app, orgId, { interests: 'sql, interviews' })
  const signedIn = async (user: typeof teacher.user) => {
    const person = await personIn(browser, base)
    await person.context.addCookies([{ name: SESSION_COOKIE, value: app.issueToken(user), url: base, httpOnly: true, sameSite: 'Lax' }])
    return person
  }
  const mentorBrowser = await signedIn(teacher.user)
  const menteeBrowser = await signedIn(learner.user)
  const teacherName = `${teacher.user.first_name} Tester`
  const learnerName = `${learner.user.first_name} Tester`

  // The mentee asks: an empty message is refused next to its field, then the request is made.
  await menteeBrowser.page.goto('/me/matches')
  await menteeBrowser.page.getByRole('link', { name: 'My requests' }).click()
  t.match(await menteeBrowser.page.locator('table', { has: menteeBrowser.page.locator('caption', { hasText: 'Mentors with a free place' }) }).textContent(), 'SQL, data modelling and interviews.')
  await menteeBrowser.page.getByLabel(/^Mentor/).selectOption({ label: teacherName })
  await menteeBrowser.page.getByRole('button', { name: 'Ask this mentor' }).click()
  t.equal(await menteeBrowser.page.locator('#field-message-error').textContent(), 'message is required', "refused next to the field, in the API's words")
  await menteeBrowser.page.getByLabel(/^Your message/).fill('Could you help me prepare SQL interviews?')
  await menteeBrowser.page.getByRole('button', { name: 'Ask this mentor' }).click()
  await menteeBrowser.page.waitForURL(`${base}/me/requests`)
  t.match(await menteeBrowser.page.locator('#mine ~ div table tbody tr').first().textContent(), new RegExp(`${teacherName}\\s*1\\s*OPEN`))

  // The mentor reads it with the mentee's interests and message, and accepts in one click.
  await mentorBrowser.page.goto('/me/matches')
  await mentorBrowser.page.getByRole('link', { name: 'Requests to me' }).click()
  const waiting = mentorBrowser.page.locator('#waiting ~ div table tbody tr').first()
  t.match(await waiting.textContent(), /Interests: sql, interviews[\s\S]*Could you help me prepare SQL interviews\?/)
  await mentorBrowser.page.getByRole('button', { name: `Accept the request of ${learnerName}` }).click()
  await mentorBrowser.page.waitForURL(`${base}/me/matches`)
  t.match(await mentorBrowser.page.locator('main article h2').first().textContent(), `${teacherName} mentors ${learnerName}`)

  // The match appears for the mentee too, and the request reads ACCEPTED.
  await menteeBrowser.page.getByRole('link', { name: 'My matches' }).click()
  t.match(await menteeBrowser.page.locator('main article h2').first().textContent(), `${teacherName} mentors ${learnerName}`)
  await menteeBrowser.page.getByRole('link', { name: 'My requests' }).click()
  t.match(await menteeBrowser.page.locator('#mine ~ div table tbody tr').first().textContent(), /ACCEPTED/)
  t.match(await menteeBrowser.page.locator('#asking-refused').textContent(), 'Your mentee profile is UNAVAILABLE', 'matched: no more asking, in the API\'s words')

  for (const person of [mentorBrowser, menteeBrowser]) t.same(person.problems, [], 'no Content-Security-Policy violation or script error')
})
