import type { FastifyInstance } from 'fastify'
import t from 'tap'
import { buildApp, call, createUser, rowsOf } from '../helper'
import { activeMatch, mentee, mentor, organization } from '../fixtures'

/** An organization with one ACTIVE match, its two parties, and people around it. */
async function world (app: FastifyInstance) {
  const home = await organization(app)
  const other = await organization(app)
  const teacher = await mentor(app, home.orgId)
  const learner = await mentee(app, home.orgId)
  const match = await activeMatch(app, home.owner, teacher, learner)
  return { ...home, other, teacher, learner, matchId: match.id }
}

const SEPTEMBER = '2026-09-02T15:00:00Z'

t.test('the seed rows of POST /api/meetings: 201 with or without notes and rating, 400 without match, date or location', async (t) => {
  const app = await buildApp(t)
  const { learner, teacher, owner, matchId } = await world(app)

  const successes: Array<[string, Record<string, unknown>, Record<string, unknown>]> = [
    ['with notes and rating', { notes: 'Went over the résumé', rating: 5 }, { notes: 'Went over the résumé', rating: 5 }],
    ['without notes', { rating: 3 }, { notes: null, rating: 3 }],
    ['without rating', { notes: 'Short call' }, { notes: 'Short call', rating: null }],
    ['without notes and rating', {}, { notes: null, rating: null }],
    ['with null notes and rating', { notes: null, rating: null }, { notes: null, rating: null }]
  ]
  for (const [name, extra, expected] of successes) {
    const res = await call(app, 'POST', '/api/meetings', {
      headers: learner.headers, payload: { match_id: matchId, meeting_date: '2026-09-02T17:00:00+02:00', location: '  Library  ', ...extra }
    })
    t.equal(res.status, 201, name)
    t.match(res.body, { match_id: matchId, meeting_date: SEPTEMBER.replace('Z', '.000Z'), location: 'Library', deleted: false, ...expected }, name)
    t.same(Object.keys(res.body).sort(), ['created_at', 'deleted', 'id', 'location', 'match_id', 'meeting_date', 'notes', 'rating', 'updated_at'])
  }
  t.equal((await call(app, 'POST', '/api/meetings', { headers: teacher.headers, payload: { match_id: matchId, meeting_date: SEPTEMBER, location: 'Cafe' } })).status, 201, 'the mentor too')
  t.equal((await call(app, 'POST', '/api/meetings', { headers: owner.headers, payload: { match_id: matchId, meeting_date: SEPTEMBER, location: 'Office' } })).status, 201, 'staff too')

  const before = rowsOf(app, 'meetings')
  const refusals: Array<[string, Record<string, unknown>, string, Array<{ field: string, message: string }>]> = [
    ['no match id', { meeting_date: SEPTEMBER, location: 'Cafe' }, 'Invalid request: match_id is required', [{ field: 'match_id', message: 'is required' }]],
    ['no meeting date', { match_id: matchId, location: 'Cafe' }, 'Invalid request: meeting_date is required', [{ field: 'meeting_date', message: 'is required' }]],
    ['no location', { match_id: matchId, meeting_date: SEPTEMBER }, 'Invalid request: location is required', [{ field: 'location', message: 'is required' }]],
    ['a blank location', { match_id: matchId, meeting_date: SEPTEMBER, location: '   ' }, 'Invalid request: location is required', [{ field: 'location', message: 'is required' }]],
    ['a long location', { match_id: matchId, meeting_date: SEPTEMBER, location: 'x'.repeat(201) }, 'Invalid request: location must NOT have more than 200 characters', [{ field: 'location', message: 'must NOT have more than 200 characters' }]],
    ['a date without a time', { match_id: matchId, meeting_date: '2026-09-02', location: 'Cafe' }, 'Invalid request: meeting_date must be a date and time with its time zone, such as 2026-12-08T15:00:00Z', [{ field: 'meeting_date', message: 'must be a date and time with its time zone, such as 2026-12-08T15:00:00Z' }]],
    ['a rating of 6', { match_id: matchId, meeting_date: SEPTEMBER, location: 'Cafe', rating: 6 }, 'Invalid request: rating must be <= 5', [{ field: 'rating', message: 'must be <= 5' }]],
    ['a rating of 0', { match_id: matchId, meeting_date: SEPTEMBER, location: 'Cafe', rating: 0 }, 'Invalid request: rating must be >= 1', [{ field: 'rating', message: 'must be >= 1' }]],
    ['a fractional rating', { match_id: matchId, meeting_date: SEPTEMBER, location: 'Cafe', rating: 2.5 }, 'Invalid request: rating must be integer or null', [{ field: 'rating', message: 'must be integer or null' }]],
    ['an unknown property', { match_id: matchId, meeting_date: SEPTEMBER, location: 'Cafe', mood: 'good' }, 'Invalid request: mood is not allowed', [{ field: 'mood', message: 'is not allowed' }]],
    ['nothing at all', {}, 'Invalid request: match_id is required; meeting_date is required; location is required',
      [{ field: 'match_id', message: 'is required' }, { field: 'meeting_date', message: 'is required' }, { field: 'location', message: 'is required' }]]
  ]
  for (const [name, payload, error, details] of refusals) {
    const res = await call(app, 'POST', '/api/meetings', { headers: learner.headers, payload })
    t.equal(res.status, 400, name)
    t.same(res.body, { error, details }, name)
  }
  const unknownMatch = await call(app, 'POST', '/api/meetings', { headers: owner.headers, payload: { match_id: 9999, meeting_date: SEPTEMBER, location: 'Cafe' } })
  t.equal(unknownMatch.status, 400)
  t.same(unknownMatch.body, { error: 'match_id does not name a match of your organization' })
  t.same(rowsOf(app, 'meetings'), before, 'no refused request wrote a meeting')
})

t.test('the seed rows of GET, PUT, DELETE and remove: 200, and 404 for no such meeting', async (t) => {
  const app = await buildApp(t)
  const { learner, owner, matchId } = await world(app)
  const created = await call(app, 'POST', '/api/meetings', { headers: learner.headers, payload: { match_id: matchId, meeting_date: SEPTEMBER, location: 'Cafe' } })
  const url = `/api/meetings/${created.body.id}`

  const list = await call(app, 'GET', '/api/meetings', { headers: learner.headers })
  t.equal(list.status, 200)
  t.same(list.body, [created.body])
  t.equal(list.headers['x-total-count'], '1')

  const read = await call(app, 'GET', url, { headers: learner.headers })
  t.equal(read.status, 200)
  t.same(read.body, created.body)
  const missing = await call(app, 'GET', '/api/meetings/9999', { headers: learner.headers })
  t.equal(missing.status, 404)
  t.same(missing.body, { error: 'Meeting not found' })
  t.equal((await call(app, 'GET', '/api/meetings/abc', { headers: learner.headers })).status, 400)

  const edited = await call(app, 'PUT', url, { headers: learner.headers, payload: { rating: 4, notes: 'Good talk', meeting_date: '2026-09-03T09:30:00Z' } })
  t.equal(edited.status, 200)
  t.match(edited.body, { id: created.body.id, location: 'Cafe', rating: 4, notes: 'Good talk', meeting_date: '2026-09-03T09:30:00.000Z' })
  const cleared = await call(app, 'PUT', url, { headers: learner.headers, payload: { rating: null } })
  t.match(cleared.body, { rating: null, notes: 'Good talk' }, 'absent fields stay, null clears')
  const badEdit = await call(app, 'PUT', url, { headers: learner.headers, payload: { location: '', match_id: 2 } })
  t.equal(badEdit.status, 400)
  t.same(badEdit.body.details, [{ field: 'match_id', message: 'is not allowed' }, { field: 'location', message: 'is required' }])
  const hidden = await call(app, 'PUT', url, { headers: learner.headers, payload: { deleted: true } })
  t.equal(hidden.status, 403)
  t.same(hidden.body, { error: 'Only staff delete or restore meetings this way' })

  const deleted = await call(app, 'DELETE', url, { headers: learner.headers })
  t.equal(deleted.status, 200)
  t.match(deleted.body, { id: created.body.id, deleted: true })
  t.equal((await call(app, 'GET', url, { headers: learner.headers })).status, 404)
  t.same((await call(app, 'GET', '/api/meetings', { headers: owner.headers })).body, [])
  t.equal((await call(app, 'GET', `${url}?include_deleted=true`, { headers: learner.headers })).status, 404, 'only staff see deleted records')
  t.equal((await call(app, 'GET', `${url}?include_deleted=true`, { headers: owner.headers })).status, 200)
  const restored = await call(app, 'PUT', url, { headers: owner.headers, payload: { deleted: false } })
  t.equal(restored.status, 200)
  t.equal(restored.body.deleted, false)

  const removed = await call(app, 'DELETE', `${url}/remove`, { headers: learner.headers })
  t.equal(removed.status, 200)
  t.same(removed.body, { id: created.body.id, removed: true })
  t.same(rowsOf(app, 'meetings'), [])
  t.equal((await call(app, 'DELETE', `${url}/remove`, { headers: owner.headers })).status, 404)
})

t.test('meetings: the parties and staff act, others of the organization 403, other organizations 404', async (t) => {
  const app = await buildApp(t)
  const { orgId, owner, manager, user, other, teacher, learner, matchId } = await world(app)
  const admin = await createUser(app, null, 'ADMINISTRATOR')
  const strangerMentor = await mentor(app, orgId)
  const strangerMentee = await mentee(app, orgId)
  const theirMatch = await activeMatch(app, owner, strangerMentor, strangerMentee)
  const ours = await call(app, 'POST', '/api/meetings', { headers: teacher.headers, payload: { match_id: matchId, meeting_date: SEPTEMBER, location: 'Cafe' } })
  const theirs = await call(app, 'POST', '/api/meetings', { headers: strangerMentee.headers, payload: { match_id: theirMatch.id, meeting_date: SEPTEMBER, location: 'Park' } })
  t.equal(theirs.status, 201)
  const ids = (body: Array<{ id: number }>) => body.map((meeting) => meeting.id)

  const lists: Array<[string, Record<string, string>, string, number[]]> = [
    ['the OWNER', owner.headers, '', [theirs.body.id, ours.body.id]],
    ['a MANAGER', manager.headers, '', [theirs.body.id, ours.body.id]],
    ['the ADMINISTRATOR', admin.headers, '', [theirs.body.id, ours.body.id]],
    ['the mentor', teacher.headers, '', [ours.body.id]],
    ['the mentee', learner.headers, '', [ours.body.id]],
    ['a USER', user.headers, '', []],
    ['staff of another organization', other.owner.headers, '', []],
    ['staff filtering by match', owner.headers, `?match_id=${theirMatch.id}`, [theirs.body.id]],
    ['a party filtering by a match not theirs', learner.headers, `?match_id=${theirMatch.id}`, []]
  ]
  for (const [who, headers, query, expected] of lists) {
    const res = await call(app, 'GET', `/api/meetings${query}`, { headers })
    t.equal(res.status, 200, who)
    t.same(ids(res.body), expected, who)
    t.equal(res.headers['x-total-count'], String(expected.length), who)
  }

  const url = `/api/meetings/${ours.body.id}`
  const before = rowsOf(app, 'meetings')
  const outsiders: Array<[string, Record<string, string>, number, string]> = [
    ['a mentee of another match', strangerMentee.headers, 403, 'Not authorized'],
    ['a mentor of another match', strangerMentor.headers, 403, 'Not authorized'],
    ['a USER', user.headers, 403, 'Not authorized'],
    ['staff of another organization', other.owner.headers, 404, 'Meeting not found']
  ]
  for (const [who, headers, status, error] of outsiders) {
    for (const [method, path, payload] of [['GET', url], ['PUT', url, { location: 'Elsewhere' }], ['DELETE', url], ['DELETE', `${url}/remove`]] as const) {
      const res = await call(app, method, path, { headers, payload })
      t.equal(res.status, status, `${method} ${path} by ${who}`)
      t.same(res.body, { error }, `${method} ${path} by ${who}`)
    }
    const created = await call(app, 'POST', '/api/meetings', { headers, payload: { match_id: matchId, meeting_date: SEPTEMBER, location: 'Sneaky' } })
    t.equal(created.status, status === 404 ? 400 : 403, `POST by ${who}`)
  }
  t.same(rowsOf(app, 'meetings'), before, 'nothing was written by outsiders')
  for (const headers of [owner.headers, manager.headers, admin.headers]) {
    t.equal((await call(app, 'GET', url, { headers })).status, 200)
    t.equal((await call(app, 'PUT', url, { headers, payload: { rating: 2 } })).status, 200)
  }
})

t.test('no meeting on a CANCELLED match (409); a COMPLETED one still takes them', async (t) => {
  const app = await buildApp(t)
  const { owner, learner, matchId } = await world(app)
  const kept = await call(app, 'POST', '/api/meetings', { headers: learner.headers, payload: { match_id: matchId, meeting_date: SEPTEMBER, location: 'Cafe' } })
  t.equal((await call(app, 'PUT', `/api/matches/${matchId}`, { headers: owner.headers, payload: { status: 'COMPLETED' } })).status, 200)
  t.equal((await call(app, 'POST', '/api/meetings', { headers: learner.headers, payload: { match_id: matchId, meeting_date: SEPTEMBER, location: 'Wrap-up' } })).status, 201)

  t.equal((await call(app, 'PUT', `/api/matches/${matchId}`, { headers: owner.headers, payload: { status: 'CANCELLED' } })).status, 200)
  const before = rowsOf(app, 'meetings')
  for (const headers of [learner.headers, owner.headers]) {
    const res = await call(app, 'POST', '/api/meetings', { headers, payload: { match_id: matchId, meeting_date: SEPTEMBER, location: 'Cafe' } })
    t.equal(res.status, 409)
    t.same(res.body, { error: 'The match is CANCELLED: no meeting can be added to it' })
  }
  t.same(rowsOf(app, 'meetings'), before)
  const rated = await call(app, 'PUT', `/api/meetings/${kept.body.id}`, { headers: learner.headers, payload: { rating: 1 } })
  t.equal(rated.status, 200, 'a meeting that took place may still be rated after the match is cancelled')

  t.equal((await call(app, 'DELETE', `/api/matches/${matchId}`, { headers: owner.headers })).status, 200)
  const onDeleted = await call(app, 'POST', '/api/meetings', { headers: owner.headers, payload: { match_id: matchId, meeting_date: SEPTEMBER, location: 'Cafe' } })
  t.equal(onDeleted.status, 400)
  t.same(onDeleted.body, { error: 'match_id does not name a match of your organization' })
})
