import t from 'tap'
import { activeMatch, mentee, mentor, organization } from '../fixtures'
import { buildApp, call } from '../helper'

/**
 * Every list reads one page of an organization in order: SQLite's plan for each statement a list
 * request runs may neither scan a whole table (or index) nor sort rows in a temporary B-tree, not
 * even the ties of its last term. (A staff list that includes deleted rows does sort them.) The one
 * scan allowed is of json_each: the page's own ids, whose users or profiles are then read by key.
 */
const WASTEFUL = /^SCAN (?!json_each )|TEMP B-TREE/

t.test('each list of a staff member is served by an index, in order', async (t) => {
  let recording: string[] | null = null
  const app = await buildApp(t, {}, { database: { trace: (sql) => recording?.push(sql) } })
  const { orgId, owner } = await organization(app)
  const teacher = await mentor(app, orgId)
  const learner = await mentee(app, orgId)
  const match = await activeMatch(app, owner, teacher, learner)

  const lists = [
    '/api/users', '/api/users?role=MENTOR',
    '/api/organizations',
    '/api/mentors', '/api/mentors?status=AVAILABLE',
    '/api/mentees', '/api/mentees?status=AVAILABLE', '/api/mentees?lambda_week=1',
    '/api/experiences',
    '/api/matches', '/api/matches?status=ACTIVE', `/api/matches?mentor_id=${teacher.profile.id}`,
    '/api/meetings', `/api/meetings?match_id=${match.id}`,
    '/api/notifications', '/api/notifications?watched=false',
    '/api/invitations', '/api/invitations?status=PENDING'
  ]
  for (const url of lists) {
    recording = []
    const { status } = await call(app, 'GET', url, { headers: owner.headers })
    const reads = recording.filter((sql) => /^select/i.test(sql))
    recording = null
    t.equal(status, 200, url)
    for (const sql of reads) {
      const plan = (app.sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as Array<{ detail: string }>).map((step) => step.detail)
      t.notOk(plan.some((step) => WASTEFUL.test(step)), `${url}: ${sql}\n  ${plan.join('\n  ')}`)
    }
  }
})
