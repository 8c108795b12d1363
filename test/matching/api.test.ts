import type { FastifyInstance } from 'fastify'
import t from 'tap'
import { seedDemo } from '../../commands/seed-demo'
import { MATCH_MESSAGES as M } from '../../domain/matches/messages'
import { activeMatch, mentee, mentor, notices, organization, statusOf } from '../fixtures'
import { bearer, buildApp, call, createUser, listeningApp, PASSWORD, rowsOf, scopeOf } from '../helper'

// The three matching routes over HTTP: who may call them, what they see, and what they write.

interface Suggested { mentor_id: number, score: number, reasons: string[] }
interface Previewed { pairs: Array<{ mentee_id: number, mentor_id: number, score: number, reasons: string[] }>, unmatched: Array<{ mentee_id: number, reason: string }>, total_score: number }

const TABLES = ['matches', 'mentors', 'mentees', 'notifications']
const snapshot = (app: FastifyInstance) => TABLES.map((table) => rowsOf(app, table))

async function experienced (app: FastifyInstance, orgId: number, profile: Parameters<typeof mentor>[2], skills: string[], zipcode: string | null = null) {
  const person = await mentor(app, orgId, profile)
  app.domain.tables.users.update(scopeOf(orgId), person.user.id, { zipcode })
  for (const name of skills) app.domain.tables.experiences.insert(scopeOf(orgId), { organization_id: orgId, user_id: person.user.id, name })
  return person
}

/** An organization with mentors of every kind of eligibility, and mentees to suggest for. */
async function world (app: FastifyInstance) {
  const org = await organization(app)
  const { orgId } = org
  const react = await experienced(app, orgId, { capacity: 2, bio: 'Front-end lead: React and TypeScript.' }, ['React', 'JavaScript'], '94110')
  const sql = await experienced(app, orgId, { capacity: 1, bio: 'Data engineer.' }, ['SQL', 'Python'], '10001')
  const paused = await experienced(app, orgId, { status: 'UNAVAILABLE', capacity: 3 }, ['React'])
  const full = await experienced(app, orgId, { capacity: 1 }, ['React'])
  const deleted = await experienced(app, orgId, { capacity: 1 }, ['React'])
  app.domain.tables.mentors.update(scopeOf(orgId), deleted.profile.id, { deleted: true })
  const learner = await mentee(app, orgId, { interests: 'react.js, JS, sql', desired_zip: '94103', lambda_week: 3 })
  const other = await mentee(app, orgId, { interests: 'Python and databases', lambda_week: 3, wanted_mentor_id: sql.profile.id })
  await activeMatch(app, org.owner, full, await mentee(app, orgId))
  return { ...org, react, sql, paused, full, deleted, learner, other }
}

t.test('GET /api/matches/suggestions: eligible mentors only, best first, with scores and reasons', async (t) => {
  const app = await buildApp(t)
  const w = await world(app)
  const { status, body, headers } = await call(app, 'GET', `/api/matches/suggestions?mentee_id=${w.learner.profile.id}`, { headers: w.manager.headers })
  t.equal(status, 200)
  const suggested = body as Suggested[]
  t.same(suggested.map((row) => row.mentor_id), [w.react.profile.id, w.sql.profile.id], 'AVAILABLE with a free place only, the better first')
  t.equal(headers['x-total-count'], '2')
  t.same(suggested[0]!.reasons, [
    'shared interests: react, javascript',
    'lists experience in: react, javascript',
    'same area (ZIP 941..)',
    'spare capacity: 2 of 2 places free'
  ])
  t.ok(suggested[0]!.score > suggested[1]!.score && suggested[1]!.score > 0)
  t.match(suggested[0], { mentor: { id: w.react.profile.id, capacity: 2, active_matches: 0, user: { id: w.react.user.id } } })

  const one = await call(app, 'GET', `/api/matches/suggestions?mentee_id=${w.learner.profile.id}&limit=1&weight_interests=0&weight_experiences=0&weight_location=0`, { headers: w.owner.headers })
  t.same(one.body.map((row: Suggested) => row.mentor_id), [w.react.profile.id], 'limit, and weights tried for this request')
  t.equal(one.headers['x-total-count'], '2')
  t.same(one.body[0].reasons, ['spare capacity: 2 of 2 places free'])

  const wanted = await call(app, 'GET', `/api/matches/suggestions?mentee_id=${w.other.profile.id}`, { headers: w.owner.headers })
  t.equal(wanted.body[0].mentor_id, w.sql.profile.id)
  t.ok(wanted.body[0].reasons.includes('the mentee asked for this mentor'))

  // A mentor already in an ACTIVE match with the mentee, or the mentee's own mentor profile, is not suggested.
  const self = await mentee(app, w.orgId, { interests: 'React' })
  const ownProfile = app.domain.tables.mentors.insert(scopeOf(w.orgId), { organization_id: w.orgId, user_id: self.user.id, status: 'AVAILABLE', capacity: 2 })
  await activeMatch(app, w.owner, w.react, self)
  app.domain.tables.mentees.update(scopeOf(w.orgId), self.profile.id, { status: 'AVAILABLE' })
  const mine = await call(app, 'GET', `/api/matches/suggestions?mentee_id=${self.profile.id}`, { headers: w.owner.headers })
  t.same(mine.body.map((row: Suggested) => row.mentor_id), [w.sql.profile.id], 'neither its active mentor nor its own mentor profile')
  t.not(ownProfile.id, w.sql.profile.id)
})

t.test('suggestions: staff only, other organizations invisible, bad queries refused', async (t) => {
  const app = await buildApp(t)
  const w = await world(app)
  const away = await organization(app)
  const url = `/api/matches/suggestions?mentee_id=${w.learner.profile.id}`
  for (const caller of [w.user, w.react, w.learner]) {
    t.same((await call(app, 'GET', url, { headers: caller.headers })).status, 403)
  }
  t.same(await call(app, 'GET', url, { headers: away.owner.headers }).then((r) => [r.status, r.body]), [404, { error: 'Mentee not found' }])
  const admin = await createUser(app, null, 'ADMINISTRATOR')
  t.equal((await call(app, 'GET', url, { headers: admin.headers })).body.length, 2, 'the ADMINISTRATOR sees the mentee\'s organization')
  const bad = async (query: string) => (await call(app, 'GET', `/api/matches/suggestions?${query}`, { headers: w.owner.headers })).status
  t.equal(await bad('limit=5'), 400, 'mentee_id is required')
  t.equal(await bad(`mentee_id=${w.learner.profile.id}&limit=1001`), 400, 'limit up to 1000')
  t.equal(await bad(`mentee_id=${w.learner.profile.id}&weight_color=1`), 400, 'unknown weights refused')
  t.equal(await bad(`mentee_id=${w.learner.profile.id}&weight_location=-1`), 400, 'weights are >= 0')
  const zero = await call(app, 'GET', `${url}&weight_interests=0&weight_experiences=0&weight_wanted_mentor=0&weight_location=0&weight_load_balance=0`, { headers: w.owner.headers })
  t.same([zero.status, zero.body.error], [400, 'weights: at least one weight must be above 0'])
})

t.test('the router keeps /api/matches/suggestions apart from /api/matches/:id', async (t) => {
  const app = await buildApp(t)
  const w = await world(app)
  const match = await activeMatch(app, w.owner, w.react, w.learner)
  t.equal((await call(app, 'GET', `/api/matches/${match.id}`, { headers: w.owner.headers })).body.id, match.id)
  const suggestions = await call(app, 'GET', '/api/matches/suggestions', { headers: w.owner.headers })
  t.same([suggestions.status, suggestions.body.details], [400, [{ field: 'mentee_id', message: 'is required' }]], 'the suggestions route, not a match id')
  t.equal((await call(app, 'PUT', '/api/matches/suggestions', { headers: w.owner.headers, payload: {} })).status, 400, 'PUT still reaches /:id, which refuses the id')
  t.equal((await call(app, 'GET', '/api/matches/assignments', { headers: w.owner.headers })).status, 400, 'GET /assignments is /:id with a bad id')
})

t.test('POST /api/matches/assignments: a preview that writes nothing, its scores those of the suggestions', async (t) => {
  const app = await buildApp(t)
  const w = await world(app)
  const third = await mentee(app, w.orgId, { interests: 'React', lambda_week: 4 })
  const before = snapshot(app)
  const { status, body, headers } = await call(app, 'POST', '/api/matches/assignments', { headers: w.manager.headers, payload: {} })
  t.equal(status, 200)
  const preview = body as Previewed
  t.same(snapshot(app), before, 'nothing written')
  t.match(headers['server-timing'], /^loading;dur=[\d.]+, scoring;dur=[\d.]+, solving;dur=[\d.]+$/)
  // Three places (react 2, sql 1) for three mentees: all matched, the two React fans with react.
  t.same(preview.pairs.map((pair) => [pair.mentee_id, pair.mentor_id]), [
    [w.learner.profile.id, w.react.profile.id],
    [w.other.profile.id, w.sql.profile.id],
    [third.profile.id, w.react.profile.id]
  ])
  t.same(preview.unmatched, [])
  t.ok(Math.abs(preview.total_score - preview.pairs.reduce((sum, pair) => sum + pair.score, 0)) < 1e-9, 'total_score sums the scores')
  for (const pair of preview.pairs) {
    const suggested = (await call(app, 'GET', `/api/matches/suggestions?mentee_id=${pair.mentee_id}&limit=1000`, { headers: w.owner.headers })).body as Suggested[]
    const same = suggested.find((row) => row.mentor_id === pair.mentor_id)!
    t.same([same.score, same.reasons], [pair.score, pair.reasons], `mentee ${pair.mentee_id}: the score of its suggestion`)
  }

  const week = await call(app, 'POST', '/api/matches/assignments', { headers: w.owner.headers, payload: { lambda_week: 4 } })
  t.same(week.body.pairs.map((pair: { mentee_id: number }) => pair.mentee_id), [third.profile.id], 'lambda_week narrows the cohort')
  const named = await call(app, 'POST', '/api/matches/assignments', {
    headers: w.owner.headers,
    payload: { lambda_week: 3, mentee_ids: [w.learner.profile.id, third.profile.id, w.other.profile.id], weights: { load_balance: 1, interests: 0, experiences: 0, wanted_mentor: 0, location: 0 } }
  })
  t.same(named.body.unmatched, [{ mentee_id: third.profile.id, reason: 'the mentee is in lambda week 4, not 3' }])
  t.same(named.body.pairs.map((pair: { score: number }) => pair.score), [1, 1], 'the weights of the request')

  const taken = await activeMatch(app, w.owner, w.sql, await mentee(app, w.orgId))
  t.ok(taken.id)
  const crowded = (await call(app, 'POST', '/api/matches/assignments', { headers: w.owner.headers, payload: {} })).body as Previewed
  t.equal(crowded.pairs.length, 2, 'two places left for three mentees')
  t.same(crowded.unmatched.map((row) => row.reason), ['every free place of the 1 mentor who could take this mentee went to another of the 3 mentees of the cohort'])
  const unknown = await call(app, 'POST', '/api/matches/assignments', { headers: w.owner.headers, payload: { mentee_ids: [w.learner.profile.id, 99_999] } })
  t.same([unknown.status, unknown.body.error], [400, 'mentee_ids: there is no mentee profile 99999 in your organization'])
  const unavailable = await call(app, 'POST', '/api/matches/assignments', { headers: w.owner.headers, payload: { mentee_ids: [w.learner.profile.id] } })
  t.same(unavailable.body.unmatched, [], 'still AVAILABLE')
})

t.test('assignments: staff only, bodies checked, other organizations invisible', async (t) => {
  const app = await buildApp(t)
  const w = await world(app)
  const away = await organization(app)
  const stranger = await mentee(app, away.orgId)
  for (const caller of [w.user, w.react, w.learner]) {
    t.equal((await call(app, 'POST', '/api/matches/assignments', { headers: caller.headers, payload: {} })).status, 403)
    t.equal((await call(app, 'POST', '/api/matches/assignments/apply', { headers: caller.headers, payload: { pairs: [{ mentee_id: 1, mentor_id: 1 }] } })).status, 403)
  }
  const theirs = (await call(app, 'POST', '/api/matches/assignments', { headers: away.owner.headers, payload: {} })).body as Previewed
  t.same(theirs, { pairs: [], unmatched: [{ mentee_id: stranger.profile.id, reason: 'no AVAILABLE mentor of the organization has a free place' }], total_score: 0 }, 'their own mentee only, and no mentor of ours')
  const foreign = await call(app, 'POST', '/api/matches/assignments', { headers: w.owner.headers, payload: { mentee_ids: [stranger.profile.id] } })
  t.same([foreign.status, foreign.body.error], [400, `mentee_ids: there is no mentee profile ${stranger.profile.id} in your organization`])
  const apply = await call(app, 'POST', '/api/matches/assignments/apply', { headers: away.owner.headers, payload: { pairs: [{ mentee_id: w.learner.profile.id, mentor_id: w.react.profile.id }] } })
  t.equal(apply.status, 409, 'a pair of another organization cannot be made')
  t.match(apply.body.error, /^Pair 1 \(mentee_id \d+, mentor_id \d+\) is no longer possible, nothing was written: mentor_id does not name a mentor profile of your organization/)

  const admin = await createUser(app, null, 'ADMINISTRATOR')
  const everyone = (await call(app, 'POST', '/api/matches/assignments', { headers: admin.headers, payload: {} })).body as Previewed
  t.equal(everyone.pairs.length + everyone.unmatched.length, 3, 'the ADMINISTRATOR: every organization, each with its own mentors')
  t.ok(everyone.unmatched.some((row) => row.mentee_id === stranger.profile.id))

  const invalid = async (payload: Record<string, unknown>) => (await call(app, 'POST', '/api/matches/assignments', { headers: w.owner.headers, payload })).status
  t.equal(await invalid({ weights: { charm: 1 } }), 400, 'unknown weights refused')
  t.equal(await invalid({ weights: { location: -0.1 } }), 400, 'negative weights refused')
  t.equal(await invalid({ weights: { interests: 0, experiences: 0, wanted_mentor: 0, location: 0, load_balance: 0 } }), 400, 'not all 0')
  t.equal(await invalid({ weights: { location: 0 } }), 200, 'one factor turned off')
  t.equal(await invalid({ mentee_ids: [] }), 400)
  t.equal(await invalid({ cohort: 3 }), 400)
  t.equal((await call(app, 'POST', '/api/matches/assignments/apply', { headers: w.owner.headers, payload: { pairs: [] } })).status, 400)
})

t.test('apply: the matches of a preview, with their scores, statuses and notifications', async (t) => {
  const app = await buildApp(t)
  const w = await world(app)
  const preview = (await call(app, 'POST', '/api/matches/assignments', { headers: w.owner.headers, payload: {} })).body as Previewed
  const told = notices(app).length
  const applied = await call(app, 'POST', '/api/matches/assignments/apply', { headers: w.manager.headers, payload: { pairs: preview.pairs } })
  t.equal(applied.status, 201)
  t.same(applied.body.map((match: { mentee_id: number, mentor_id: number, match_score: number, status: string }) => [match.mentee_id, match.mentor_id, match.match_score, match.status]),
    preview.pairs.map((pair) => [pair.mentee_id, pair.mentor_id, pair.score, 'ACTIVE']))
  t.equal(notices(app).length, told + 2 * preview.pairs.length, 'both people of every pair are told')
  t.ok(notices(app).slice(told).every(([, content]) => content === M.matchedWithMentee || content === M.matchedWithMentor))
  t.equal(statusOf(app, 'mentees', w.learner.profile.id), 'UNAVAILABLE')
  t.equal(statusOf(app, 'mentors', w.sql.profile.id), 'UNAVAILABLE', 'a mentor whose places are filled')

  const bare = await mentee(app, w.orgId, { interests: 'React' })
  const scored = await call(app, 'POST', '/api/matches/assignments/apply', { headers: w.owner.headers, payload: { pairs: [{ mentee_id: bare.profile.id, mentor_id: w.react.profile.id }] } })
  t.equal(scored.status, 201)
  t.ok(scored.body[0].match_score > 0, 'without a score, the model scores the pair')
})

t.test('apply is all or nothing: a pair no longer possible writes nothing and says which', async (t) => {
  const app = await buildApp(t)
  const w = await world(app)
  const preview = (await call(app, 'POST', '/api/matches/assignments', { headers: w.owner.headers, payload: {} })).body as Previewed
  await activeMatch(app, w.owner, w.sql, await mentee(app, w.orgId))
  const before = snapshot(app)
  const refused = await call(app, 'POST', '/api/matches/assignments/apply', { headers: w.owner.headers, payload: { pairs: preview.pairs } })
  t.equal(refused.status, 409)
  t.equal(refused.body.error, `Pair 2 (mentee_id ${w.other.profile.id}, mentor_id ${w.sql.profile.id}) is no longer possible, nothing was written: ` +
    `The mentor (id ${w.sql.profile.id}) is UNAVAILABLE: only an AVAILABLE mentor can be matched`)
  t.same(snapshot(app), before, 'the pair before it was undone too')

  const twice = await call(app, 'POST', '/api/matches/assignments/apply', {
    headers: w.owner.headers,
    payload: { pairs: [{ mentee_id: w.learner.profile.id, mentor_id: w.react.profile.id }, { mentee_id: w.learner.profile.id, mentor_id: w.react.profile.id }] }
  })
  t.equal(twice.status, 409)
  t.match(twice.body.error, /^Pair 2 .*already in an ACTIVE match/)
  t.same(snapshot(app), before)
})

t.test('apply racing a match made by hand for the same last place, on the running server: one wins, nothing half-written', async (t) => {
  const { app, base } = await listeningApp(t, 'apply-race')
  const { orgId, owner } = await organization(app)
  const post = (path: string, payload: unknown) => fetch(`${base}${path}`, {
    method: 'POST', headers: { ...owner.headers, 'content-type': 'application/json' }, body: JSON.stringify(payload)
  }).then((response) => response.status)

  for (let round = 0; round < 4; round++) {
    const teacher = await mentor(app, orgId, { capacity: 1 })
    const spare = await mentor(app, orgId, { capacity: 1 })
    const [first, second, rival] = [await mentee(app, orgId), await mentee(app, orgId), await mentee(app, orgId)]
    const pairs = [{ mentee_id: first.profile.id, mentor_id: spare.profile.id }, { mentee_id: second.profile.id, mentor_id: teacher.profile.id }]
    const [applied, byHand] = await Promise.all([
      post('/api/matches/assignments/apply', { pairs }),
      post('/api/matches', { mentor_id: teacher.profile.id, mentee_id: rival.profile.id })
    ])
    t.same([applied, byHand].sort(), [201, 409], `round ${round}: exactly one wins the last place`)
    const live = (id: number) => app.sqlite.prepare("SELECT count(*) AS n FROM matches WHERE mentor_id = ? AND status = 'ACTIVE'").get(id) as { n: number }
    t.equal(live(teacher.profile.id).n, 1, 'the place is held once')
    t.equal(live(spare.profile.id).n, applied === 201 ? 1 : 0, 'the other pair of the apply stands or falls with it')
  }
})

t.test('POST /api/matches without match_score records the score the suggestions give', async (t) => {
  const app = await buildApp(t)
  const w = await world(app)
  const suggested = (await call(app, 'GET', `/api/matches/suggestions?mentee_id=${w.learner.profile.id}`, { headers: w.owner.headers })).body as Suggested[]
  const match = await activeMatch(app, w.owner, w.react, w.learner) as { match_score?: number }
  t.equal(match.match_score, suggested[0]!.score)
  const given = await call(app, 'POST', '/api/matches', { headers: w.owner.headers, payload: { mentor_id: w.sql.profile.id, mentee_id: w.other.profile.id, match_score: null } })
  t.equal(given.body.match_score, null, 'an explicit null stays null')
})

t.test('PUT /api/organizations/:id matching_weights: set by an OWNER, checked, used, and reset with null', async (t) => {
  const app = await buildApp(t)
  const w = await world(app)
  const url = `/api/organizations/${w.orgId}`
  const put = (headers: Record<string, string>, matching_weights: unknown) => call(app, 'PUT', url, { headers, payload: { matching_weights } })
  t.equal((await call(app, 'GET', url, { headers: w.owner.headers })).body.matching_weights, null, 'null: the defaults')
  t.equal((await put(w.manager.headers, { location: 1 })).status, 403, 'owners only')
  t.equal((await put(w.owner.headers, { charm: 1 })).status, 400)
  t.equal((await put(w.owner.headers, { location: -1 })).status, 400)
  t.same((await put(w.owner.headers, { location: 0, interests: 0, experiences: 0, wanted_mentor: 0, load_balance: 0 })).body.error, 'matching_weights: at least one weight must be above 0')
  const set = await put(w.owner.headers, { load_balance: 1, interests: 0, experiences: 0, wanted_mentor: 0, location: 0 })
  t.same([set.status, set.body.matching_weights], [200, { load_balance: 1, interests: 0, experiences: 0, wanted_mentor: 0, location: 0 }])
  const suggested = (await call(app, 'GET', `/api/matches/suggestions?mentee_id=${w.learner.profile.id}`, { headers: w.owner.headers })).body as Suggested[]
  t.same(suggested.map((row) => row.score), [1, 1], 'the organization\'s weights score the pairs')
  t.same((await put(w.owner.headers, null)).body.matching_weights, null)
})

t.test('seed-demo leaves mentees waiting and mentors with free places: suggestions and a preview at once', async (t) => {
  const app = await buildApp(t)
  const demo = await seedDemo(app, 1, PASSWORD)
  t.ok(demo.waitingMenteeIds.length >= 6, `${demo.waitingMenteeIds.length} mentees wait`)
  const headers = bearer(app.issueToken(demo.owner))
  const suggested = await call(app, 'GET', `/api/matches/suggestions?mentee_id=${demo.waitingMenteeIds[0]}`, { headers })
  t.ok(suggested.body.length > 0 && suggested.body[0].score > 0, 'mentors are suggested, with scores')
  const preview = (await call(app, 'POST', '/api/matches/assignments', { headers, payload: {} })).body as Previewed
  t.ok(preview.pairs.length >= 6, `${preview.pairs.length} pairs previewed`)
  const scored = rowsOf(app, 'matches') as Array<{ match_score: number | null }>
  t.ok(scored.every((match) => match.match_score !== null && match.match_score >= 0 && match.match_score <= 1), 'the demo matches carry the model\'s scores')
})
