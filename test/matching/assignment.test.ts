import fc from 'fast-check'
import t, { type Test } from 'tap'
import { assign, type AssignmentProblem } from '../../domain/matching/assignment'

// The solver against two methods written plainly here: an exhaustive search on small instances
// and a min-cost flow by Bellman-Ford (no potentials, no pruning) on medium ones. Both compare
// what the issue asks: the number of pairs, then the total score.

const SCALE = 1_000_000

/** A random instance: scores in [0, SCALE] with some pairs forbidden (-1), and few distinct values so ties abound. */
const instance = (mentees: { min: number, max: number }, mentors: { min: number, max: number }, forbidden: number) =>
  fc.record({
    menteeCount: fc.integer(mentees),
    mentorCount: fc.integer(mentors),
    seed: fc.integer({ min: 1, max: 2 ** 30 })
  }).map(({ menteeCount, mentorCount, seed }): AssignmentProblem => {
    const random = lcg(seed)
    const capacities = Array.from({ length: mentorCount }, () => 1 + Math.floor(random() * 3))
    const coarse = random() < 0.5
    const scores = Int32Array.from({ length: menteeCount * mentorCount }, () =>
      random() < forbidden ? -1 : coarse ? Math.floor(random() * 5) * (SCALE / 4) : Math.floor(random() * (SCALE + 1)))
    return { menteeCount, capacities, scores, scale: SCALE }
  })

/** A small deterministic generator, so an instance is its seed. */
function lcg (seed: number) {
  let state = seed
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648
    return state / 2147483648
  }
}

interface Outcome { pairs: number, total: number }

function outcomeOf (problem: AssignmentProblem, mentorOf: ArrayLike<number>): Outcome {
  const mentors = problem.capacities.length
  let pairs = 0
  let total = 0
  for (let mentee = 0; mentee < problem.menteeCount; mentee++) {
    const mentor = mentorOf[mentee]!
    if (mentor < 0) continue
    pairs++
    total += problem.scores[mentee * mentors + mentor]! / SCALE
  }
  return { pairs, total }
}

/** Every assignment, each mentee to nobody or to a mentor with room: the best by (pairs, total). */
function bruteForce (problem: AssignmentProblem): Outcome {
  const mentors = problem.capacities.length
  const room = Array.from(problem.capacities)
  let best: Outcome = { pairs: 0, total: 0 }
  const visit = (mentee: number, pairs: number, total: number) => {
    if (mentee === problem.menteeCount) {
      if (pairs > best.pairs || (pairs === best.pairs && total > best.total)) best = { pairs, total }
      return
    }
    visit(mentee + 1, pairs, total)
    for (let mentor = 0; mentor < mentors; mentor++) {
      const score = problem.scores[mentee * mentors + mentor]!
      if (score < 0 || room[mentor] === 0) continue
      room[mentor]!--
      visit(mentee + 1, pairs + 1, total + score)
      room[mentor]!++
    }
  }
  visit(0, 0, 0)
  return { pairs: best.pairs, total: best.total / SCALE }
}

/**
 * Min-cost flow, source -> mentees -> mentors -> sink, augmenting one unit at a time along a
 * cheapest path found by Bellman-Ford (costs: minus the score, so negative), until no path is left.
 */
function bellmanFordFlow (problem: AssignmentProblem): Outcome {
  const mentors = problem.capacities.length
  const source = problem.menteeCount + mentors
  const sink = source + 1
  const edges: Array<{ to: number, capacity: number, cost: number, reverse: number }>[] = Array.from({ length: sink + 1 }, () => [])
  const addEdge = (from: number, to: number, capacity: number, cost: number) => {
    edges[from]!.push({ to, capacity, cost, reverse: edges[to]!.length })
    edges[to]!.push({ to: from, capacity: 0, cost: -cost, reverse: edges[from]!.length - 1 })
  }
  for (let mentee = 0; mentee < problem.menteeCount; mentee++) {
    addEdge(source, mentee, 1, 0)
    for (let mentor = 0; mentor < mentors; mentor++) {
      const score = problem.scores[mentee * mentors + mentor]!
      if (score >= 0) addEdge(mentee, problem.menteeCount + mentor, 1, -score)
    }
  }
  Array.from(problem.capacities).forEach((capacity, mentor) => addEdge(problem.menteeCount + mentor, sink, capacity, 0))

  let pairs = 0
  let cost = 0
  for (;;) {
    const distance = new Array<number>(sink + 1).fill(Infinity)
    const via = new Array<[number, number] | undefined>(sink + 1)
    distance[source] = 0
    for (let round = 0, changed = true; changed && round <= sink; round++) {
      changed = false
      for (let node = 0; node <= sink; node++) {
        if (distance[node] === Infinity) continue
        edges[node]!.forEach((edge, index) => {
          if (edge.capacity > 0 && distance[node]! + edge.cost < distance[edge.to]!) {
            distance[edge.to] = distance[node]! + edge.cost
            via[edge.to] = [node, index]
            changed = true
          }
        })
      }
    }
    if (distance[sink] === Infinity) break
    for (let node = sink; node !== source;) {
      const [from, index] = via[node]!
      const edge = edges[from]![index]!
      edge.capacity--
      edges[node]![edge.reverse]!.capacity++
      node = from
    }
    pairs++
    cost += distance[sink]!
  }
  return { pairs, total: -cost / SCALE }
}

function checkCapacities (problem: AssignmentProblem, mentorOf: Int32Array): boolean {
  const load = new Array<number>(problem.capacities.length).fill(0)
  for (let mentee = 0; mentee < problem.menteeCount; mentee++) {
    const mentor = mentorOf[mentee]!
    if (mentor < 0) continue
    if (problem.scores[mentee * problem.capacities.length + mentor]! < 0) return false
    load[mentor]!++
  }
  return load.every((count, mentor) => count <= problem.capacities[mentor]!)
}

const sameOutcome = (found: Outcome, expected: Outcome) => found.pairs === expected.pairs && Math.abs(found.total - expected.total) <= 1e-9

const holdsForAll = <Ts extends unknown[]> (t: Test, property: fc.IPropertyWithHooks<Ts>, runs: number) =>
  t.doesNotThrow(() => fc.assert(property, { seed: 11, numRuns: runs }), 'holds for every generated case')

t.test('small instances (up to 8 mentees, 5 mentors, capacities 1-3): the exhaustive optimum', async (t) => {
  holdsForAll(t, fc.property(instance({ min: 0, max: 8 }, { min: 0, max: 5 }, 0.2), (problem) => {
    const { mentorOf } = assign(problem)
    return checkCapacities(problem, mentorOf) && sameOutcome(outcomeOf(problem, mentorOf), bruteForce(problem))
  }), 300)
})

t.test('pruned to one candidate a mentee, the check on the full matrix still brings the optimum', async (t) => {
  let repaired = 0
  holdsForAll(t, fc.property(instance({ min: 1, max: 8 }, { min: 1, max: 5 }, 0.1), (problem) => {
    const { mentorOf, stats } = assign(problem, { perMentee: 1, perMentor: 0 })
    if (stats.rounds > 1) repaired++
    return checkCapacities(problem, mentorOf) && sameOutcome(outcomeOf(problem, mentorOf), bruteForce(problem))
  }), 200)
  t.ok(repaired > 20, `${repaired} instances needed pairs added after the check`)
})

t.test('medium instances (200 mentees x 60 mentors): the same as a plain min-cost flow', async (t) => {
  holdsForAll(t, fc.property(instance({ min: 200, max: 200 }, { min: 60, max: 60 }, 0.05), (problem) => {
    const { mentorOf } = assign(problem)
    return checkCapacities(problem, mentorOf) && sameOutcome(outcomeOf(problem, mentorOf), bellmanFordFlow(problem))
  }), 6)
})

t.test('more places than mentees: the mentees supply the flow, and every one is placed when it can be', async (t) => {
  holdsForAll(t, fc.property(instance({ min: 20, max: 40 }, { min: 30, max: 40 }, 0.3), (problem) => {
    const { mentorOf } = assign(problem)
    return checkCapacities(problem, mentorOf) && sameOutcome(outcomeOf(problem, mentorOf), bellmanFordFlow(problem))
  }), 10)
})

t.test('the same data gives the same answer', async (t) => {
  const problem = fc.sample(instance({ min: 50, max: 50 }, { min: 20, max: 20 }, 0.1), { seed: 3, numRuns: 1 })[0]!
  t.same(Array.from(assign(problem).mentorOf), Array.from(assign({ ...problem, scores: problem.scores.slice() }).mentorOf))
})
