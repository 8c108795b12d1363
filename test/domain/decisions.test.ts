import fc from 'fast-check'
import t, { type Test } from 'tap'
import { MATCH_STATUSES, PROFILE_STATUSES } from '../../db/schema'
import { holdsPlace, type Loaded, type MentorProfile, movesOf, noticesFor, type Standing, statusAfter } from '../../domain/matches/decisions'
import { MATCH_MESSAGES as M } from '../../domain/matches/messages'

// The pure half of the match lifecycle, without a database: for every change of a match, the
// places it takes and frees, the statuses that follow and who is told what.

const profileId = fc.integer({ min: 1, max: 3 })
const standing: fc.Arbitrary<Standing> = fc.record({
  organization_id: fc.constant(1),
  mentor_id: profileId,
  mentee_id: profileId,
  status: fc.constantFrom(...MATCH_STATUSES),
  deleted: fc.boolean()
})
/** A change: `before` undefined is a new match. */
const change = fc.tuple(fc.option(standing, { nil: undefined }), standing)
/** Runs a property over its generated inputs; the first counterexample fails the test with its values. */
const holdsForAll = <Ts extends unknown[]> (t: Test, property: fc.IPropertyWithHooks<Ts>) => t.doesNotThrow(() => fc.assert(property), 'holds for every generated case')

const holds = (match: Standing | undefined, side: 'mentor_id' | 'mentee_id', id: number) =>
  match !== undefined && holdsPlace(match) && match[side] === id

t.test('the moves account for every place exactly: what a profile gains or loses is what the change takes or frees', async (t) => {
  holdsForAll(t, fc.property(change, fc.constantFrom('mentor_id' as const, 'mentee_id' as const), profileId, ([before, after], side, id) => {
    const moves = movesOf(before, after)
    const [takes, frees] = side === 'mentor_id' ? [moves.takesMentor, moves.freesMentor] : [moves.takesMentee, moves.freesMentee]
    const gained = Number(holds(after, side, id)) - Number(holds(before, side, id))
    return gained === Number(takes && after[side] === id) - Number(frees && before?.[side] === id)
  }))
})

t.test('who hears "matched" is exactly who the change takes, and whoever it frees hears why', async (t) => {
  const FREED = new Set<string>([M.removed, M.completed, M.cancelled])
  holdsForAll(t, fc.property(change, ([before, after]) => {
    const moves = movesOf(before, after)
    const notices = noticesFor(before, after)
    const matched = notices.filter((notice) => notice.content === M.matchedWithMentee || notice.content === M.matchedWithMentor)
      .map((notice) => `${notice.side} ${notice.profileId}`).sort()
    const taken = [
      ...(moves.takesMentor ? [`mentor ${after.mentor_id}`] : []),
      ...(moves.takesMentee ? [`mentee ${after.mentee_id}`] : [])
    ].sort()
    const told = (side: string, id: number | undefined) => notices.some((notice) => notice.side === side && notice.profileId === id && FREED.has(notice.content))
    return JSON.stringify(matched) === JSON.stringify(taken) &&
      (!moves.freesMentor || told('mentor', before?.mentor_id)) &&
      (!moves.freesMentee || told('mentee', before?.mentee_id))
  }))
})

t.test('statuses follow the places, and never touch a PENDING profile', async (t) => {
  const loaded: fc.Arbitrary<Loaded<MentorProfile>> = fc.record({
    profile: fc.record({
      id: fc.constant(1),
      organization_id: fc.constant(1),
      user_id: fc.constant(1),
      status: fc.constantFrom(...PROFILE_STATUSES),
      capacity: fc.integer({ min: 1, max: 20 })
    }),
    active: fc.integer({ min: 0, max: 20 })
  })
  holdsForAll(t, fc.property(fc.constantFrom('mentor' as const, 'mentee' as const), fc.constantFrom('takes' as const, 'frees' as const), loaded, (side, move, party) => {
    const status = statusAfter(side, move, party)
    const { profile, active } = party
    if (profile.status === 'PENDING') return status === undefined
    if (move === 'takes') {
      const full = side === 'mentee' || active + 1 >= profile.capacity
      return status === (profile.status === 'AVAILABLE' && full ? 'UNAVAILABLE' : undefined)
    }
    const free = side === 'mentor' ? active - 1 < profile.capacity : active - 1 === 0
    return status === (profile.status === 'UNAVAILABLE' && free ? 'AVAILABLE' : undefined)
  }))
})

t.test('the notices of the usual changes, as the README lists them', async (t) => {
  const live: Standing = { organization_id: 1, mentor_id: 1, mentee_id: 2, status: 'ACTIVE', deleted: false }
  const told = (before: Standing | undefined, after: Standing) => noticesFor(before, after).map(({ side, profileId, content }) => [side, profileId, content])
  t.same(told(undefined, live), [['mentor', 1, M.matchedWithMentee], ['mentee', 2, M.matchedWithMentor]], 'created')
  t.same(told(live, { ...live, status: 'COMPLETED' }), [['mentor', 1, M.completed], ['mentee', 2, M.completed]], 'completed')
  t.same(told(live, { ...live, status: 'CANCELLED' }), [['mentor', 1, M.cancelled], ['mentee', 2, M.cancelled]], 'cancelled')
  t.same(told({ ...live, status: 'COMPLETED' }, { ...live, status: 'COMPLETED', deleted: true }), [['mentor', 1, M.removed], ['mentee', 2, M.removed]], 'deleted, even when ended')
  t.same(told(live, { ...live, mentor_id: 3 }), [['mentor', 1, M.removed], ['mentor', 3, M.matchedWithMentee], ['mentee', 2, M.newMentor]], 're-pointed to another mentor')
  t.same(told(live, { ...live, match_score: 0.5 } as Standing), [], 'a change of score tells nobody')
})
