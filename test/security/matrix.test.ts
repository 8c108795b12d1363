import type { FastifyInstance } from 'fastify'
import t from 'tap'
import { type Caller, callerOf, type User } from '../../domain/caller'
import { admits, isPartyTo, isSelf, isStaff, mayGrant, ownsOrIsStaff } from '../../domain/policy'
import { activeMatch, mentee, mentor, organization } from '../fixtures'
import { apiRoutes, buildApp, call, createUser } from '../helper'

// The authorization matrix, generated from the app's own route table: every route x every caller
// (no token, each role of the organization, a mentee who asked the match's mentor, the
// ADMINISTRATOR, another organization's OWNER and MENTEE). What each cell must answer comes from
// the route's access declaration and the row rules of domain/policy.ts, applied to the records the URL names; a route without a row rule here
// fails the test, so a new route cannot be forgotten. Each cell runs inside a savepoint that is
// rolled back, so every cell meets the same data.

async function world (app: FastifyInstance) {
  const { orgId, owner, manager, user } = await organization(app)
  const teacher = await mentor(app, orgId, { capacity: 2 })
  const learner = await mentee(app, orgId)
  const match = await activeMatch(app, owner, teacher, learner)
  const meeting = (await call(app, 'POST', '/api/meetings', { headers: owner.headers, payload: { match_id: match.id, meeting_date: '2026-09-02T15:00:00Z', location: 'Cafe' } })).body
  const experience = (await call(app, 'POST', '/api/experiences', { headers: teacher.headers, payload: { name: 'SQL' } })).body
  const invitation = (await call(app, 'POST', '/api/invitations', { headers: owner.headers, payload: { email: 'invited@example.com', role: 'OWNER' } })).body
  const notification = (await call(app, 'GET', '/api/notifications', { headers: teacher.headers })).body[0]
  // A second mentee asks the match's mentor, who has a place left: the request can be accepted.
  const requester = await mentee(app, orgId)
  const request = (await call(app, 'POST', '/api/requests', { headers: requester.headers, payload: { mentor_id: teacher.profile.id, message: 'Will you mentor me?' } })).body
  const away = await organization(app)
  return {
    orgId,
    teacher,
    learner,
    match,
    meeting,
    experience,
    invitation,
    notification,
    requester,
    request,
    callers: {
      OWNER: owner,
      MANAGER: manager,
      'MENTOR (of the match)': teacher,
      'MENTEE (of the match)': learner,
      'MENTEE (of the request)': requester,
      USER: user,
      ADMINISTRATOR: await createUser(app, null, 'ADMINISTRATOR'),
      'another OWNER': away.owner,
      'another MENTEE': await createUser(app, away.orgId, 'MENTEE')
    }
  }
}

type World = Awaited<ReturnType<typeof world>>
type RowRule = (caller: Caller, world: World) => boolean

const anyone: RowRule = () => true
const matchParties = (w: World) => ({ mentorUserId: w.teacher.user.id, menteeUserId: w.learner.user.id })
const staffOrParty: RowRule = (caller, w) => isStaff(caller) || isPartyTo(caller, matchParties(w))
/** The user the URL names is the match's mentor, not an OWNER: themself or staff manage them. */
const managesUser: RowRule = (caller, w) => isSelf(caller, w.teacher.user.id) || isStaff(caller)

/** For each route that names a record: whether the row rules let a caller admitted by the route's level through. */
const ROW_RULES: Record<string, RowRule> = {
  'GET /api/users/:id': anyone,
  'PUT /api/users/:id': managesUser,
  'DELETE /api/users/:id': managesUser,
  'DELETE /api/users/:id/remove': anyone,
  'GET /api/organizations/:id': anyone,
  'PUT /api/organizations/:id': anyone,
  'DELETE /api/organizations/:id/remove': anyone,
  'GET /api/mentors/:id': anyone,
  'PUT /api/mentors/:id': (caller, w) => ownsOrIsStaff(caller, w.teacher.profile),
  'DELETE /api/mentors/:id': (caller, w) => ownsOrIsStaff(caller, w.teacher.profile),
  'DELETE /api/mentors/:id/remove': anyone,
  'GET /api/mentees/:id': anyone,
  'PUT /api/mentees/:id': (caller, w) => ownsOrIsStaff(caller, w.learner.profile),
  'DELETE /api/mentees/:id': (caller, w) => ownsOrIsStaff(caller, w.learner.profile),
  'DELETE /api/mentees/:id/remove': anyone,
  'GET /api/experiences/:id': anyone,
  'PUT /api/experiences/:id': (caller, w) => ownsOrIsStaff(caller, w.experience),
  'DELETE /api/experiences/:id': (caller, w) => ownsOrIsStaff(caller, w.experience),
  'DELETE /api/experiences/:id/remove': anyone,
  'GET /api/matches/:id': staffOrParty,
  'PUT /api/matches/:id': anyone,
  'DELETE /api/matches/:id': anyone,
  'DELETE /api/matches/:id/remove': anyone,
  'GET /api/meetings/:id': staffOrParty,
  'PUT /api/meetings/:id': staffOrParty,
  'DELETE /api/meetings/:id': staffOrParty,
  'DELETE /api/meetings/:id/remove': staffOrParty,
  'GET /api/notifications/:id': (caller, w) => ownsOrIsStaff(caller, w.notification),
  'PUT /api/notifications/:id': (caller, w) => ownsOrIsStaff(caller, w.notification),
  'PATCH /api/notifications/:id': (caller, w) => isSelf(caller, w.notification.user_id),
  'DELETE /api/notifications/:id': (caller, w) => ownsOrIsStaff(caller, w.notification),
  'DELETE /api/notifications/:id/remove': (caller, w) => ownsOrIsStaff(caller, w.notification),
  // The invitation is to become OWNER: only whoever may grant OWNER acts on it.
  'POST /api/invitations/:invitation/resend': (caller, w) => mayGrant(caller, w.invitation.role),
  'DELETE /api/invitations/:invitation/remove': (caller, w) => mayGrant(caller, w.invitation.role),
  // A request is read by its two people and staff, withdrawn by its mentee, answered by its mentor.
  'GET /api/requests/:id': (caller, w) => isStaff(caller) || isSelf(caller, w.requester.user.id) || isSelf(caller, w.teacher.user.id),
  'DELETE /api/requests/:id': (caller, w) => isSelf(caller, w.requester.user.id),
  'POST /api/requests/:id/accept': (caller, w) => isSelf(caller, w.teacher.user.id),
  'POST /api/requests/:id/decline': (caller, w) => isSelf(caller, w.teacher.user.id)
}

/** The body of a route whose required fields an empty object would miss, so that the row rules decide. */
const PAYLOADS: Record<string, object> = {
  'POST /api/requests/:id/decline': { decline_reason: 'NOT_A_FIT' }
}

/** The record of the world each route's URL names. */
const target = (url: string, w: World) => {
  const resource = /^\/api\/(\w+)\//.exec(url)?.[1]
  const ids: Record<string, number> = {
    users: w.teacher.user.id,
    organizations: w.orgId,
    mentors: w.teacher.profile.id,
    mentees: w.learner.profile.id,
    experiences: w.experience.id,
    matches: w.match.id,
    meetings: w.meeting.id,
    notifications: w.notification.id,
    invitations: w.invitation.id,
    requests: w.request.id
  }
  return url.replace(/:(id|invitation)/, String(ids[resource!]))
}

t.test('the authorization matrix: every route x every caller, expected from the declarations and the row rules', async (t) => {
  const routes = await apiRoutes()
  const app = await buildApp(t)
  const w = await world(app)
  const home = (user: User) => user.organization_id === w.orgId || user.role === 'ADMINISTRATOR'
  let cells = 0
  const inSavepoint = async <T> (work: () => Promise<T>): Promise<T> => {
    app.sqlite.exec('SAVEPOINT cell')
    try {
      return await work()
    } finally {
      app.sqlite.exec('ROLLBACK TO cell; RELEASE cell')
    }
  }

  for (const route of routes) {
    const key = `${route.method} ${route.url}`
    const namesRecord = /:(id|invitation)\b/.test(route.url)
    // The invitee's routes take a token, not an id: public, and tried in test/invitations.
    if (route.access === 'public') continue
    if (namesRecord) t.ok(ROW_RULES[key], `${key} has a row rule in this matrix`)
    const url = namesRecord ? target(route.url, w) : route.url
    const payload = ['GET', 'DELETE'].includes(route.method) ? undefined : PAYLOADS[key] ?? {}

    cells++
    const anonymous = await inSavepoint(() => call(app, route.method as 'GET', url, { payload }))
    t.equal(anonymous.status, 401, `${key}: no token`)

    for (const [who, person] of Object.entries(w.callers)) {
      cells++
      const caller = callerOf(person.user)
      const answer = await inSavepoint(() => call(app, route.method as 'GET', url, { headers: person.headers, payload }))
      const cell = `${key}: ${who}`
      if (!admits(route.access, person.user)) {
        t.same([answer.status, answer.body], [403, { error: 'Not authorized' }], `${cell} is below the route's level`)
      } else if (namesRecord && !home(person.user)) {
        t.equal(answer.status, 404, `${cell}: another organization's record does not exist for them`)
      } else if (namesRecord) {
        const allowed = ROW_RULES[key]!(caller, w)
        if (allowed) t.ok(answer.status >= 200 && answer.status < 300, `${cell} is let through (${answer.status} ${JSON.stringify(answer.body).slice(0, 120)})`)
        else t.equal(answer.status, 403, `${cell} is refused by the row rule`)
      } else {
        t.ok(![401, 403].includes(answer.status) && answer.status < 500, `${cell} passes the access check (${answer.status})`)
      }
    }
  }
  t.comment(`authorization matrix: ${cells} cells`)
})
