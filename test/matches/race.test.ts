import t from 'tap'
import { mentee, mentor, organization, statusOf } from '../fixtures'
import { listeningApp } from '../helper'

t.test('two creations racing for the last place of a mentor on the running server: one 201, one 409', async (t) => {
  const { app, base } = await listeningApp(t, 'race')

  const { orgId, owner } = await organization(app)
  const create = (mentorId: number, menteeId: number) => fetch(`${base}/api/matches`, {
    method: 'POST',
    headers: { ...owner.headers, 'content-type': 'application/json' },
    body: JSON.stringify({ mentor_id: mentorId, mentee_id: menteeId })
  }).then(async (response) => ({ status: response.status, body: await response.json() as { error?: string } }))

  // Several rounds, each a mentor with one place left and two mentees sent for it at once.
  for (let round = 0; round < 5; round++) {
    const teacher = await mentor(app, orgId, { capacity: 2 })
    const [held, first, second] = [await mentee(app, orgId), await mentee(app, orgId), await mentee(app, orgId)]
    t.equal((await create(teacher.profile.id, held.profile.id)).status, 201)

    const results = await Promise.all([create(teacher.profile.id, first.profile.id), create(teacher.profile.id, second.profile.id)])
    t.same(results.map((result) => result.status).sort(), [201, 409], `round ${round}: exactly one wins`)
    t.match(results.find((result) => result.status === 409)?.body.error, new RegExp(`^The mentor \\(id ${teacher.profile.id}\\) is UNAVAILABLE`))

    const live = app.sqlite.prepare("SELECT mentee_id FROM matches WHERE mentor_id = ? AND status = 'ACTIVE' AND deleted = 0").all(teacher.profile.id)
    t.equal(live.length, 2, `round ${round}: the mentor holds its capacity, not more`)
    t.equal(statusOf(app, 'mentors', teacher.profile.id), 'UNAVAILABLE')
    const statuses = [first, second].map((learner) => statusOf(app, 'mentees', learner.profile.id)).sort()
    t.same(statuses, ['AVAILABLE', 'UNAVAILABLE'], `round ${round}: only the winner's mentee is taken`)
  }
})

t.test('the same pair created twice at once on the running server: one 201, one 409, one match', async (t) => {
  const { app, base } = await listeningApp(t, 'pair')
  const { orgId, owner } = await organization(app)
  for (let round = 0; round < 5; round++) {
    const teacher = await mentor(app, orgId, { capacity: 3 })
    const learner = await mentee(app, orgId)
    const create = () => fetch(`${base}/api/matches`, {
      method: 'POST',
      headers: { ...owner.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ mentor_id: teacher.profile.id, mentee_id: learner.profile.id })
    }).then((response) => response.status)
    t.same((await Promise.all([create(), create()])).sort(), [201, 409], `round ${round}: exactly one wins`)
    const pairs = app.sqlite.prepare('SELECT id FROM matches WHERE mentor_id = ? AND mentee_id = ?').all(teacher.profile.id, learner.profile.id)
    t.equal(pairs.length, 1, `round ${round}: one match`)
  }
})

t.test('two invitations of one email at once on the running server: one 201, one 409, one invitation', async (t) => {
  const { app, base } = await listeningApp(t, 'invitations')
  const { owner, manager } = await organization(app)
  for (let round = 0; round < 5; round++) {
    const invite = (staff: { headers: Record<string, string> }) => fetch(`${base}/api/invitations`, {
      method: 'POST',
      headers: { ...staff.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ email: `twice-${round}@example.com` })
    }).then((response) => response.status)
    t.same((await Promise.all([invite(owner), invite(manager)])).sort(), [201, 409], `round ${round}: exactly one wins`)
    const { n } = app.sqlite.prepare('SELECT count(*) AS n FROM invitations WHERE email = ?').get(`twice-${round}@example.com`) as { n: number }
    t.equal(n, 1, `round ${round}: one invitation`)
  }
})
