import t, { type Test } from 'tap'
import { activeMatch, mentee, mentor, organization } from '../fixtures'
import { buildApp, call, createUser } from '../helper'

/**
 * Every list reads one page of an organization in order: SQLite's plan for each statement a list
 * request runs may neither scan a whole table (or index) nor sort rows in a temporary B-tree, not
 * even the ties of its last term. A staff list that includes deleted rows reads the live and the
 * deleted ones each in index order and merges them. The one scan allowed is of json_each: the
 * page's own ids, whose users or profiles are then read by key.
 */
const WASTEFUL = /^SCAN (?!json_each )|TEMP B-TREE/
/**
 * A list of a whole table (the ADMINISTRATOR's organizations and invitations, which have no deleted
 * rows to leave out) has nothing to search for: it walks an index in order and stops after its page,
 * and its total counts the smallest index. Walking the table itself, or sorting, is still refused.
 */
const WASTEFUL_FOR_A_WHOLE_TABLE = /^SCAN (?!json_each )(?!\w+ USING (COVERING )?INDEX )|TEMP B-TREE/

async function listing (t: Test) {
  let recording: string[] | null = null
  const app = await buildApp(t, {}, { database: { trace: (sql) => recording?.push(sql) } })
  const { orgId, owner } = await organization(app)
  const teacher = await mentor(app, orgId)
  const learner = await mentee(app, orgId)
  const match = await activeMatch(app, owner, teacher, learner)
  /** Each list as `headers` ask for it: 200, and every plan of its reads free of scans and sorts. */
  const servedByIndexes = async (t: Test, urls: string[], headers: Record<string, string>, wasteful = WASTEFUL) => {
    for (const url of urls) {
      recording = []
      const { status } = await call(app, 'GET', url, { headers })
      const reads = recording.filter((sql) => /^select/i.test(sql))
      recording = null
      t.equal(status, 200, url)
      for (const sql of reads) {
        const plan = (app.sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as Array<{ detail: string }>).map((step) => step.detail)
        t.notOk(plan.some((step) => wasteful.test(step)), `${url}: ${sql}\n  ${plan.join('\n  ')}`)
      }
    }
  }
  return { app, owner, teacher, match, servedByIndexes }
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
  await servedByIndexes(t, [...WITH_DELETED, '/api/requests'], admin.headers)
  await servedByIndexes(t, ['/api/organizations', '/api/invitations'], admin.headers, WASTEFUL_FOR_A_WHOLE_TABLE)
})
