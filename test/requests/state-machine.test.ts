import fc from 'fast-check'
import t from 'tap'
import { DECLINE_REASONS } from '../../db/schema'
import { callerOf } from '../../domain/caller'
import { Refusal } from '../../domain/errors'
import { mentee, mentor, organization } from '../fixtures'
import { buildApp } from '../helper'
import { HOUR, requestClock } from './world'

// The request state machine as a property: whatever sequence of asking, accepting, declining,
// withdrawing, waiting, the jobs and staff ending matches, these hold after every step:
// at most 3 open requests per mentee, each rank held once, at most 1 open request per mentee and
// mentor, no mentor over capacity, and every ACCEPTED request has its match.

const action = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('ask' as const), mentee: fc.nat(3), mentor: fc.nat(2), rank: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('accept' as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('decline' as const), pick: fc.nat(), reason: fc.constantFrom(...DECLINE_REASONS) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('withdraw' as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('wait' as const), hours: fc.integer({ min: 1, max: 100 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('expire' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('remind' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('end match' as const), pick: fc.nat() }) }
)

t.test('any sequence of request actions keeps the invariants', async (t) => {
  const clock = requestClock()
  const app = await buildApp(t, {}, { clock })
  const { orgId, owner } = await organization(app)
  const mentors = [await mentor(app, orgId), await mentor(app, orgId, { capacity: 2 }), await mentor(app, orgId)]
  const mentees = [await mentee(app, orgId), await mentee(app, orgId), await mentee(app, orgId), await mentee(app, orgId)]
  const { requests, matches } = app.domain
  const staff = callerOf(owner.user)
  const callerOfProfile = (people: Array<{ profile: { id: number }, user: Parameters<typeof callerOf>[0] }>, id: number) =>
    callerOf(people.find((one) => one.profile.id === id)!.user)
  const all = <T> (sql: string, ...values: unknown[]) => app.sqlite.prepare(sql).all(...values) as T[]
  type Row = { id: number, mentee_id: number, mentor_id: number, status: string, rank: number, expires_at: string, match_id: number | null }

  const problems = (): string[] => {
    const now = clock.now().toISOString()
    const rows = all<Row>('SELECT * FROM requests')
    const found: string[] = []
    for (const learner of mentees) {
      const open = rows.filter((row) => row.mentee_id === learner.profile.id && row.status === 'OPEN' && row.expires_at > now)
      if (open.length > 3) found.push(`mentee ${learner.profile.id} has ${open.length} open requests`)
      if (new Set(open.map((row) => row.rank)).size !== open.length) found.push(`mentee ${learner.profile.id} holds a rank twice`)
    }
    const pairs = rows.filter((row) => row.status === 'OPEN').map((row) => `${row.mentee_id}-${row.mentor_id}`)
    if (new Set(pairs).size !== pairs.length) found.push('two open requests of one pair')
    for (const over of all<{ id: number }>(`SELECT id FROM mentors WHERE capacity <
      (SELECT count(*) FROM matches WHERE mentor_id = mentors.id AND status = 'ACTIVE' AND deleted = 0)`)) found.push(`mentor ${over.id} over capacity`)
    for (const row of rows.filter((one) => one.status === 'ACCEPTED')) {
      const match = all<{ mentor_id: number, mentee_id: number }>('SELECT mentor_id, mentee_id FROM matches WHERE id = ?', row.match_id)[0]
      if (!match || match.mentor_id !== row.mentor_id || match.mentee_id !== row.mentee_id) found.push(`accepted request ${row.id} has no match of its pair`)
    }
    return found
  }

  let steps = 0
  let refused = 0
  await fc.assert(fc.asyncProperty(fc.array(action, { minLength: 10, maxLength: 40 }), async (actions) => {
    app.sqlite.exec('SAVEPOINT run')
    clock.set('2026-11-02T09:00:00.000Z')
    try {
      for (const step of actions) {
        steps++
        const rows = all<Row>('SELECT * FROM requests ORDER BY id')
        const picked = 'pick' in step ? rows[step.pick % Math.max(rows.length, 1)] : undefined
        try {
          switch (step.kind) {
            case 'ask':
              requests.create(callerOf(mentees[step.mentee]!.user), { mentor_id: mentors[step.mentor]!.profile.id, message: 'Please?', rank: step.rank })
              break
            case 'accept':
              if (picked) requests.accept(callerOfProfile(mentors, picked.mentor_id), picked.id)
              break
            case 'decline':
              if (picked) requests.decline(callerOfProfile(mentors, picked.mentor_id), picked.id, { decline_reason: step.reason })
              break
            case 'withdraw':
              if (picked) requests.withdraw(callerOfProfile(mentees, picked.mentee_id), picked.id)
              break
            case 'wait':
              clock.advance(step.hours * HOUR)
              break
            case 'expire':
              requests.expireOverdue()
              break
            case 'remind':
              requests.remindWaiting()
              break
            case 'end match': {
              const active = all<{ id: number }>("SELECT id FROM matches WHERE status = 'ACTIVE' ORDER BY id")
              if (active.length > 0) matches.update(staff, active[step.pick % active.length]!.id, { status: 'COMPLETED' })
              break
            }
          }
        } catch (error) {
          if (!(error instanceof Refusal)) throw error
          refused++
        }
        const found = problems()
        if (found.length > 0) throw new Error(`after ${JSON.stringify(step)}: ${found.join('; ')}`)
      }
    } finally {
      app.sqlite.exec('ROLLBACK TO run; RELEASE run')
    }
  }), { numRuns: 60, seed: 20261125 })
  t.comment(`${steps} steps, ${refused} refused by the rules`)
  t.ok(steps > 600 && refused > 0 && refused < steps)
})
