import { once } from 'node:events'
import { parse } from 'csv-parse/sync'
import t from 'tap'
import { Scope } from '../../domain/tenancy'
import { activeMatch, create, mentee, mentor, setup } from '../fixtures'
import { call, rowsOf } from '../helper'

// Several organizations and every export twice: more than tap's 30 seconds on a busy machine.
t.setTimeout(120_000)

type Row = Record<string, unknown>
const EXPORTS = ['people', 'profiles', 'matches', 'meetings'] as const

/** The CSV text read back as JSON would give it: numbers, booleans and nulls restored. */
const fromCsv = (text: string): Row[] => parse(text, {
  columns: true,
  cast: (value, { quoting }) => {
    if (value === '' && !quoting) return null
    if (value === 'true' || value === 'false') return value === 'true'
    return /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value
  }
})

t.test('each export: the organization\'s records only, CSV and JSON alike, a filename, no secret', async (t) => {
  const world = await setup(t)
  const { app, owner, org, away } = world
  const teacher = await mentor(app, org, { capacity: 2, bio: 'Databases, "quoted", and commas' })
  const learner = await mentee(app, org, { interests: 'SQL\nand more' })
  const match = await activeMatch(app, owner, teacher, learner)
  await create(t, world, '/api/meetings', owner, { match_id: match.id, meeting_date: '2026-12-08T15:00:00Z', location: 'Library, room 2', rating: 5 })
  await call(app, 'DELETE', `/api/users/${world.applicant.user.id}`, { headers: owner.headers })
  // The other organization has records of every kind too.
  const farMentor = await mentor(app, away.organization.id)
  const farMentee = await mentee(app, away.organization.id)
  const farMatch = await activeMatch(app, away, farMentor, farMentee)
  await create(t, world, '/api/meetings', away, { match_id: farMatch.id, meeting_date: '2026-12-09T15:00:00Z', location: 'Far away' })

  for (const what of EXPORTS) {
    const csv = await app.inject({ method: 'GET', url: `/api/exports/${what}?format=csv`, headers: world.manager.headers })
    const json = await app.inject({ method: 'GET', url: `/api/exports/${what}?format=json`, headers: world.manager.headers })
    t.equal(csv.statusCode, 200, what)
    t.equal(csv.headers['content-type'], 'text/csv; charset=utf-8')
    t.equal(json.headers['content-type'], 'application/json; charset=utf-8')
    t.match(csv.headers['content-disposition'], new RegExp(`^attachment; filename="mentormatchr-${what}-\\d{4}-\\d{2}-\\d{2}\\.csv"$`))
    t.match(json.headers['content-disposition'], /\.json"$/)
    t.equal(csv.headers['cache-control'], 'no-store')
    const rows = json.json() as Row[]
    t.same(fromCsv(csv.body), rows, `${what}: the CSV reads back as the JSON`)
    t.ok(rows.length > 0, `${what} has rows`)
    t.ok(rows.every((row) => row.organization_id === org), `${what}: only the caller's organization`)
    for (const body of [csv.body, json.body]) {
      t.notMatch(body, /password|scrypt\$|token|github_id/, `${what}: no secret`)
      t.notMatch(body, new RegExp(away.user.email), `${what}: nobody of the other organization`)
    }
  }

  const people = (await call(app, 'GET', '/api/exports/people?format=json', { headers: owner.headers })).body as Row[]
  const inDatabase = (rowsOf(app, 'users') as Row[]).filter((user) => user.organization_id === org)
  t.same(people.map((person) => [person.id, person.email, person.role, person.deleted]),
    inDatabase.map((user) => [user.id, user.email, user.role, user.deleted === 1]), 'every user of the organization, soft-deleted ones marked')
  const byDefault = await app.inject({ method: 'GET', url: '/api/exports/profiles', headers: owner.headers })
  t.equal(byDefault.headers['content-type'], 'text/csv; charset=utf-8', 'CSV is the default format')
  const csvProfiles = fromCsv(byDefault.body)
  t.match(csvProfiles, [
    { kind: 'MENTOR', id: teacher.profile.id, email: teacher.user.email, capacity: 2, bio: 'Databases, "quoted", and commas', lambda_week: null },
    { kind: 'MENTEE', id: learner.profile.id, email: learner.user.email, capacity: null, lambda_week: 1, interests: 'SQL\nand more' }
  ])
  const meetings = (await call(app, 'GET', '/api/exports/meetings?format=json', { headers: owner.headers })).body
  t.match(meetings, [{ match_id: match.id, location: 'Library, room 2', rating: 5, notes: null, deleted: false }])
  const matches = (await call(app, 'GET', '/api/exports/matches?format=json', { headers: owner.headers })).body
  t.match(matches, [{ id: match.id, mentor_email: teacher.user.email, mentee_email: learner.user.email, status: 'ACTIVE' }])

  const everything = (await call(app, 'GET', '/api/exports/meetings?format=json', { headers: world.admin.headers })).body as Row[]
  t.same(everything.map((row) => row.organization_id), [org, away.organization.id], 'the ADMINISTRATOR exports every organization')
})

t.test('who may export, and what is refused', async (t) => {
  const { app, mentor: someMentor, applicant, manager } = await setup(t)
  for (const person of [someMentor, applicant]) {
    const res = await call(app, 'GET', '/api/exports/people', { headers: person.headers })
    t.same([res.status, res.body], [403, { error: 'Not authorized' }])
  }
  t.same((await call(app, 'GET', '/api/exports/people')).status, 401)
  const unknown = await call(app, 'GET', '/api/exports/invitations', { headers: manager.headers })
  t.same([unknown.status, unknown.body.error], [400, 'Invalid request in the params: what must be one of people, profiles, matches, meetings'])
  const format = await call(app, 'GET', '/api/exports/people?format=xlsx', { headers: manager.headers })
  t.same([format.status, format.body.error], [400, 'Invalid request in the querystring: format must be one of csv, json'])
})

t.test('an abandoned export stops its statement and frees its connection', async (t) => {
  const { app, owner, org } = await setup(t)
  const insert = app.sqlite.prepare("INSERT INTO users (organization_id, email, role, created_at, updated_at) VALUES (?, ?, 'USER', '2026-01-01', '2026-01-01')")
  for (let n = 0; n < 500; n++) insert.run(org, `many-${n}@example.org`)
  for (const format of ['csv', 'json'] as const) {
    const stream = app.domain.exports.stream(Scope.organization(org), 'people', format)
    // Read a little, as a client that then goes away: the statement is mid-way.
    await once(stream, 'readable')
    t.ok(stream.read(), `${format}: the first rows`)
    stream.destroy()
    await once(stream, 'close')
    // In memory the app's own connection is lent: a statement left running would keep it busy.
    t.equal((await call(app, 'GET', '/api/users/current_user', { headers: owner.headers })).status, 200, format)
  }
})
