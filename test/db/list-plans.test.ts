import t, { type Test } from 'tap'
import { activeMatch, mentee, mentor, organization } from '../fixtures'
import { callerOf } from '../../domain/caller'
import { buildApp, call, createUser } from '../helper'

/**
 * Every list reads one page of an organization in order: SQLite's plan for each statement a list
 * request runs may neither scan a whole table (or index) nor sort rows in a temporary B-tree, not
 * even the ties of its last term. A staff list that includes deleted rows reads the live and the
 * deleted ones each in index order and merges them. Two scans are allowed: of json_each, the page's
 * own ids, whose users or profiles are then read by key, and the constant row of
 * `SELECT total_changes()`, which tells whether this connection wrote since a kept total was
 * counted. A search on `deleted` alone is a scan in disguise: nearly every row is live.
 */
const ALLOWED_SCANS = '(?!json_each |CONSTANT ROW$)'
const WASTEFUL = new RegExp(`^SCAN ${ALLOWED_SCANS}|TEMP B-TREE|\\(deleted=\\?\\)$`)
/**
 * A list across organizations (the ADMINISTRATOR's) has no organization to search for: it walks an
 * index in order (of the live rows, or of the whole table where nothing is deleted) and stops after
 * its page, and its total counts in the smallest index. Walking the table itself, or sorting, is
 * still refused.
 */
const WASTEFUL_ACROSS_ORGANIZATIONS = new RegExp(`^SCAN ${ALLOWED_SCANS}(?!\\w+ USING (COVERING )?INDEX )|TEMP B-TREE`)

async function listing (t: Test) {
  let recording: string[] | null = null
  const app = await buildApp(t, {}, { database: { trace: (sql) => recording?.push(sql) } })
  const { orgId, owner } = await organization(app)
  const teacher = await mentor(app, orgId)
  const learner = await mentee(app, orgId)
  const match = await activeMatch(app, owner, teacher, learner)
  /** The plan of every read a request makes is free of scans and sorts. */
  const readsByIndexes = async (t: Test, what: string, request: () => Promise<unknown>, wasteful = WASTEFUL) => {
    recording = []
    await request()
    const reads = recording.filter((sql) => /^\s*select/i.test(sql))
    recording = null
    t.ok(reads.length > 0, `${what} reads`)
    for (const sql of reads) {
      const plan = (app.sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as Array<{ detail: string }>).map((step) => step.detail)
      t.notOk(plan.some((step) => wasteful.test(step)), `${what}: ${sql}\n  ${plan.join('\n  ')}`)
    }
  }
  /** Each list as `headers` ask for it: 200, and every plan of its reads free of scans and sorts. */
  const servedByIndexes = async (t: Test, urls: string[], headers: Record<string, string>, wasteful = WASTEFUL) => {
    for (const url of urls) {
      await readsByIndexes(t, url, async () => t.equal((await call(app, 'GET', url, { headers })).status, 200, url), wasteful)
    }
  }
  return { app, orgId, owner, teacher, match, servedByIndexes, readsByIndexes }
}

/** The lists of tables with soft-deleted rows, which staff may ask to include. */
const WITH_DELETED = ['/api/users', '/api/mentors', '/api/mentees', '/api/experiences', '/api/matches', '/api/meetings', '/api/notifications']

t.test('each list of a staff member is served by an index, in order', async (t) => {
  const { owner, teacher, match, servedByIndexes } = await listing(t)
  await servedByIndexes(t, [
    '/api/users', '/api/users?role=MENTOR',
    '/api/organizations',
    '/api/mentors', '/api/mentors?status=AVAILABLE',
    '/api/mentees', '/api/mentees?status=AVAILABLE', '/api/mentees?lambda_week=1',
    '/api/experiences',
    '/api/matches', '/api/matches?status=ACTIVE', `/api/matches?mentor_id=${teacher.profile.id}`,
    '/api/meetings', `/api/meetings?match_id=${match.id}`,
    '/api/notifications', '/api/notifications?watched=false',
    '/api/invitations', '/api/invitations?status=PENDING',
    '/api/requests', '/api/requests?status=OPEN', '/api/requests?status=EXPIRED'
  ], owner.headers)
})

t.test('staff lists that include deleted rows are served by indexes, in order', async (t) => {
  const { owner, match, servedByIndexes } = await listing(t)
  await servedByIndexes(t, [
    ...WITH_DELETED.map((url) => `${url}?include_deleted=true`),
    '/api/mentees?include_deleted=true&status=AVAILABLE', `/api/meetings?include_deleted=true&match_id=${match.id}`
  ], owner.headers)
})

t.test('the ADMINISTRATOR\'s lists, across organizations, are served by indexes', async (t) => {
  const { app, servedByIndexes } = await listing(t)
  const admin = await createUser(app, null, 'ADMINISTRATOR')
  await servedByIndexes(t, [...WITH_DELETED, '/api/requests', '/api/organizations', '/api/invitations'], admin.headers, WASTEFUL_ACROSS_ORGANIZATIONS)
})

t.test('the reads of the busiest writes are searches by key', async (t) => {
  const { app, orgId, owner, teacher, match, readsByIndexes } = await listing(t)
  const [another, other] = [await mentor(app, orgId), await mentee(app, orgId)]
  await readsByIndexes(t, 'POST /api/matches', async () => t.equal((await call(app, 'POST', '/api/matches', {
    headers: owner.headers, payload: { mentor_id: another.profile.id, mentee_id: other.profile.id }
  })).status, 201))
  await readsByIndexes(t, 'POST /api/meetings', async () => t.equal((await call(app, 'POST', '/api/meetings', {
    headers: owner.headers, payload: { match_id: match.id, meeting_date: '2026-01-15T10:00:00Z', location: 'Library' }
  })).status, 201))
  await readsByIndexes(t, 'GET /api/mentors/:id', async () => t.equal((await call(app, 'GET', `/api/mentors/${teacher.profile.id}`, {
    headers: owner.headers
  })).status, 200))
})

t.test("an organization's dashboard searches that organization's rows, never all of them", async (t) => {
  const { app, owner, readsByIndexes } = await listing(t)
  // Its per-week figures group the few recent rows they find: that small sort is allowed, a walk is
  // not. The figures are one row of subqueries, selected from no table (SQLite's constant row).
  await readsByIndexes(t, 'the dashboard', async () => t.ok(app.domain.dashboard.of(callerOf(owner.user))), /^SCAN (?!CONSTANT ROW$)/)
})
