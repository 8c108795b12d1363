/**
 * The exact assignment of a cohort, as a pure function over plain arrays: pair mentees with
 * mentors so that as many mentees as the mentors' free capacity allows are matched and, among
 * those assignments, the total score is the greatest.
 *
 * The method is min-cost flow by shortest augmenting paths (Jonker-Volgenant style: one Dijkstra
 * per unit of supply, on reduced costs kept non-negative by node potentials, stopping at the first
 * free node). Whichever side holds fewer places supplies the flow, so that most searches end after
 * a few steps at one of the many free nodes of the larger side.
 *
 * - Cardinality first: every unit of supply may also go to "nobody" at a cost D greater than any
 *   score difference a larger assignment could lose, so a minimum-cost flow in which all supply is
 *   routed matches as many as possible and, among those, has the greatest score.
 * - Pruning: the search runs on candidate pairs only (each mentee's best mentors and each mentor's
 *   best mentees). Its potentials are a dual solution; the answer is returned only once every pair
 *   of the full matrix has a non-negative reduced cost under them, which proves it optimal on the
 *   full problem (LP duality; the flow polytope is integral). Pairs that fail, and those that
 *   nearly do, join the candidates and the search runs again.
 */

/** The input: scores are integers in [0, scale]; -1 marks a pair that may not be made. */
export interface AssignmentProblem {
  menteeCount: number
  /** How many more mentees each mentor may take. */
  capacities: ArrayLike<number>
  /** Row-major, one row per mentee: `scores[mentee * mentorCount + mentor]`. */
  scores: Int32Array
  scale: number
}

export interface AssignmentStats {
  /** Searches on the candidate pairs; more than one means the check found pairs to add. */
  rounds: number
  candidatePairs: number
}

export interface Assignment {
  /** The mentor index of each mentee, or -1. */
  mentorOf: Int32Array
  stats: AssignmentStats
}

export interface PruningOptions {
  /** How many best mentors of each mentee, and best mentees of each mentor, start as candidates. */
  perMentee: number
  perMentor: number
}

const DEFAULT_PRUNING: PruningOptions = { perMentee: 4, perMentor: 12 }

export function assign (problem: AssignmentProblem, pruning: PruningOptions = DEFAULT_PRUNING): Assignment {
  const { menteeCount, capacities, scores, scale } = problem
  const mentorCount = capacities.length
  if (scores.length !== menteeCount * mentorCount) throw new Error('the score matrix does not fit the mentees and mentors')
  let places = 0
  for (let mentor = 0; mentor < mentorCount; mentor++) places += capacities[mentor]!
  const layout: Layout = places < menteeCount
    ? { rowsAreMentees: false, rows: mentorCount, cols: menteeCount, rowSupply: capacities, colCapacity: ones(menteeCount) }
    : { rowsAreMentees: true, rows: menteeCount, cols: mentorCount, rowSupply: ones(menteeCount), colCapacity: capacities }
  // Any assignment of k+1 pairs beats any of k: D exceeds the score k+1 pairs could give up.
  const nobody = scale * Math.min(menteeCount, places) + 1

  const candidates = new Uint8Array(scores.length)
  const pairs: number[] = []
  for (const pair of bestPairs(problem, pruning)) {
    candidates[pair] = 1
    pairs.push(pair)
  }
  for (let rounds = 1; ; rounds++) {
    const graph = arcsOf(problem, layout, pairs)
    const flow = augment(graph, layout, nobody)
    const { violations, near } = certify(problem, layout, graph, flow, nobody)
    if (violations.some((pair) => candidates[pair] === 1)) throw new Error('the augmenting paths left a candidate pair with a negative reduced cost')
    if (violations.length === 0) return { mentorOf: mentorsOf(problem, graph, flow), stats: { rounds, candidatePairs: pairs.length } }
    for (const pair of near) {
      if (candidates[pair] === 1) continue
      candidates[pair] = 1
      pairs.push(pair)
    }
  }
}

/** Which side supplies the flow (the rows, one search per unit) and which receives it (the columns). */
interface Layout {
  rowsAreMentees: boolean
  rows: number
  cols: number
  rowSupply: ArrayLike<number>
  colCapacity: ArrayLike<number>
}

const ones = (length: number) => new Int32Array(length).fill(1)

/** Each mentee's best mentors and each mentor's best mentees (ties to the lower index), as matrix positions. */
function bestPairs ({ menteeCount, capacities, scores }: AssignmentProblem, { perMentee, perMentor }: PruningOptions): Set<number> {
  const mentorCount = capacities.length
  const pairs = new Set<number>()
  const byMentor = Array.from({ length: mentorCount }, () => new TopList(perMentor))
  const byMentee = new TopList(perMentee)
  for (let mentee = 0; mentee < menteeCount; mentee++) {
    byMentee.clear()
    const row = mentee * mentorCount
    for (let mentor = 0; mentor < mentorCount; mentor++) {
      const score = scores[row + mentor]!
      if (score < 0) continue
      byMentee.offer(score, mentor)
      byMentor[mentor]!.offer(score, mentee)
    }
    byMentee.forEach((mentor) => pairs.add(row + mentor))
  }
  byMentor.forEach((list, mentor) => list.forEach((mentee) => pairs.add(mentee * mentorCount + mentor)))
  return pairs
}

/** The `size` best (score, index) offered so far; among equal scores, the first offered stays. */
class TopList {
  readonly #scores: Int32Array
  readonly #items: Int32Array
  #length = 0

  constructor (readonly size: number) {
    this.#scores = new Int32Array(size)
    this.#items = new Int32Array(size)
  }

  clear (): void {
    this.#length = 0
  }

  /** Kept sorted, worst first, so a score that cannot enter is refused in one comparison. */
  offer (score: number, item: number): void {
    if (this.size === 0) return
    if (this.#length === this.size) {
      if (score <= this.#scores[0]!) return
      let at = 0
      while (at + 1 < this.#length && this.#scores[at + 1]! < score) {
        this.#scores[at] = this.#scores[at + 1]!
        this.#items[at] = this.#items[at + 1]!
        at++
      }
      this.#scores[at] = score
      this.#items[at] = item
      return
    }
    let at = this.#length++
    while (at > 0 && this.#scores[at - 1]! >= score) {
      this.#scores[at] = this.#scores[at - 1]!
      this.#items[at] = this.#items[at - 1]!
      at--
    }
    this.#scores[at] = score
    this.#items[at] = item
  }

  forEach (visit: (item: number) => void): void {
    for (let at = 0; at < this.#length; at++) visit(this.#items[at]!)
  }
}

/** The candidate pairs as arcs from the rows, grouped by row (compressed sparse rows). */
interface Arcs {
  start: Int32Array
  row: Int32Array
  col: Int32Array
  cost: Float64Array
  /** The matrix position of each arc. */
  pair: Int32Array
}

function arcsOf ({ capacities, scores, scale }: AssignmentProblem, layout: Layout, pairs: number[]): Arcs {
  const mentorCount = capacities.length
  const rowOf = (pair: number) => layout.rowsAreMentees ? Math.floor(pair / mentorCount) : pair % mentorCount
  const colOf = (pair: number) => layout.rowsAreMentees ? pair % mentorCount : Math.floor(pair / mentorCount)
  const start = new Int32Array(layout.rows + 1)
  for (const pair of pairs) start[rowOf(pair) + 1]!++
  for (let row = 0; row < layout.rows; row++) start[row + 1]! += start[row]!
  const next = start.slice(0, layout.rows)
  const row = new Int32Array(pairs.length)
  const col = new Int32Array(pairs.length)
  const cost = new Float64Array(pairs.length)
  const pair = new Int32Array(pairs.length)
  // Sorted pairs give each row its arcs in column order, whatever order the candidates came in.
  for (const position of [...pairs].sort((a, b) => a - b)) {
    const arc = next[rowOf(position)]!++
    row[arc] = rowOf(position)
    col[arc] = colOf(position)
    cost[arc] = scale - scores[position]!
    pair[arc] = position
  }
  return { start, row, col, cost, pair }
}

/** A minimum-cost flow routing all supply, with the potentials that prove it. */
interface Flow {
  onArc: Uint8Array
  /** Units of each row sent to nobody. */
  unplaced: Int32Array
  rowPotential: Float64Array
  colPotential: Float64Array
}

/**
 * One shortest augmenting path per unit of supply. Reduced cost of an arc u->v: cost + pi(u) - pi(v),
 * kept >= 0 on every residual arc; the free columns, nobody and the sink keep potential 0.
 */
function augment (arcs: Arcs, { rows, cols, rowSupply, colCapacity }: Layout, nobody: number): Flow {
  const rowPotential = new Float64Array(rows)
  const colPotential = new Float64Array(cols)
  const onArc = new Uint8Array(arcs.col.length)
  const unplaced = new Int32Array(rows)
  // The arcs carrying flow into each column, in a slice of `held` as long as its capacity.
  const heldStart = new Int32Array(cols + 1)
  for (let col = 0; col < cols; col++) heldStart[col + 1] = heldStart[col]! + colCapacity[col]!
  const held = new Int32Array(heldStart[cols]!)
  const load = new Int32Array(cols)

  // Heap nodes: the columns, then nobody, then the rows that supply more than one unit.
  const NOBODY = cols
  const firstRowNode = cols + 1
  const colDistance = new Float64Array(cols)
  const colSeen = new Int32Array(cols)
  const colDone = new Int32Array(cols)
  const colVia = new Int32Array(cols)
  const rowDistance = new Float64Array(rows)
  const rowSeen = new Int32Array(rows)
  const rowDone = new Int32Array(rows)
  const rowVia = new Int32Array(rows)
  const settledRows: number[] = []
  const settledCols: number[] = []
  const heap = new MinHeap()
  let search = 0
  let nobodyDistance = Infinity
  let nobodyVia = -1

  const scanRow = (row: number) => {
    rowDone[row] = search
    settledRows.push(row)
    const distance = rowDistance[row]! + rowPotential[row]!
    for (let arc = arcs.start[row]!; arc < arcs.start[row + 1]!; arc++) {
      if (onArc[arc]) continue
      const col = arcs.col[arc]!
      if (colDone[col] === search) continue
      const reached = distance + arcs.cost[arc]! - colPotential[col]!
      if (colSeen[col] !== search || reached < colDistance[col]!) {
        colSeen[col] = search
        colDistance[col] = reached
        colVia[col] = arc
        heap.push(reached, col)
      }
    }
    const toNobody = distance + nobody
    if (toNobody < nobodyDistance) {
      nobodyDistance = toNobody
      nobodyVia = row
      heap.push(toNobody, NOBODY)
    }
  }

  const release = (col: number, arc: number) => {
    const from = heldStart[col]!
    const last = from + --load[col]!
    for (let at = from; at <= last; at++) {
      if (held[at] === arc) {
        held[at] = held[last]!
        break
      }
    }
    onArc[arc] = 0
  }
  const take = (col: number, arc: number) => {
    held[heldStart[col]! + load[col]!++] = arc
    onArc[arc] = 1
  }

  for (let source = 0; source < rows; source++) {
    for (let unit = 0; unit < rowSupply[source]!; unit++) {
      search++
      heap.clear()
      settledRows.length = 0
      settledCols.length = 0
      nobodyDistance = Infinity
      rowSeen[source] = search
      rowDistance[source] = 0
      rowVia[source] = -1
      scanRow(source)

      let end = -1
      let endDistance = 0
      while (end < 0) {
        const col = heap.pop()
        const distance = heap.poppedKey
        if (col >= firstRowNode) {
          const row = col - firstRowNode
          if (rowDone[row] !== search && distance <= rowDistance[row]!) scanRow(row)
          continue
        }
        if (col === NOBODY) {
          if (distance > nobodyDistance) continue
          end = NOBODY
          endDistance = distance
          break
        }
        if (colDone[col] === search || distance > colDistance[col]!) continue
        colDone[col] = search
        settledCols.push(col)
        if (load[col]! < colCapacity[col]!) {
          end = col
          endDistance = distance
          break
        }
        for (let at = heldStart[col]!; at < heldStart[col]! + load[col]!; at++) {
          const arc = held[at]!
          const row = arcs.row[arc]!
          if (rowDone[row] === search) continue
          const reached = distance - arcs.cost[arc]! + colPotential[col]! - rowPotential[row]!
          if (rowSeen[row] === search && reached >= rowDistance[row]!) continue
          rowSeen[row] = search
          rowDistance[row] = reached
          rowVia[row] = arc
          // A row supplying one unit holds one arc, its only way in: it is settled now. A row
          // supplying more may be reached more cheaply through another arc, so it waits its turn.
          if (rowSupply[row] === 1) scanRow(row)
          else heap.push(reached, firstRowNode + row)
        }
      }

      // pi(v) += min(d(v), d*) - d*: only what was settled closer than the end moves.
      for (const row of settledRows) {
        if (rowDistance[row]! < endDistance) rowPotential[row]! += rowDistance[row]! - endDistance
      }
      for (const col of settledCols) {
        if (colDistance[col]! < endDistance) colPotential[col]! += colDistance[col]! - endDistance
      }

      let row: number
      if (end === NOBODY) {
        row = nobodyVia
        unplaced[row]!++
      } else {
        const arc = colVia[end]!
        take(end, arc)
        row = arcs.row[arc]!
      }
      while (rowVia[row] !== -1) {
        const backward = rowVia[row]!
        const col = arcs.col[backward]!
        release(col, backward)
        const forward = colVia[col]!
        take(col, forward)
        row = arcs.row[forward]!
      }
    }
  }
  return { onArc, unplaced, rowPotential, colPotential }
}

/**
 * The optimality check on the full matrix: every residual arc has a non-negative reduced cost
 * under the potentials. Answers the matrix positions of the pairs that fail (`violations`) and of
 * those that fail or nearly do (`near`); throws if an arc other than a pair fails, since that would
 * be a fault of the search itself.
 */
function certify (problem: AssignmentProblem, layout: Layout, arcs: Arcs, flow: Flow, nobody: number): { violations: number[], near: number[] } {
  const { menteeCount, capacities, scores, scale } = problem
  const mentorCount = capacities.length
  const { rowPotential, colPotential, onArc, unplaced } = flow
  const used = new Uint8Array(scores.length)
  const load = new Int32Array(layout.cols)
  for (let arc = 0; arc < onArc.length; arc++) {
    if (!onArc[arc]) continue
    used[arcs.pair[arc]!] = 1
    load[arcs.col[arc]!]!++
    // A pair in the flow: the backward arc col -> row.
    if (-arcs.cost[arc]! + colPotential[arcs.col[arc]!]! - rowPotential[arcs.row[arc]!]! < 0) throw new Error('a pair of the flow breaks complementary slackness')
  }
  for (let row = 0; row < layout.rows; row++) {
    const toNobody = nobody + rowPotential[row]!
    if (toNobody < 0 || (unplaced[row]! > 0 && toNobody > 0)) throw new Error('the arcs to nobody break the potentials')
  }
  for (let col = 0; col < layout.cols; col++) {
    // Column -> sink where room is left, sink -> column where flow arrives; the sink's potential is 0.
    if ((load[col]! < layout.colCapacity[col]! && colPotential[col]! < 0) || (load[col]! > 0 && colPotential[col]! > 0)) {
      throw new Error('the arcs to the sink break the potentials')
    }
  }
  const violations: number[] = []
  const near: number[] = []
  // Pairs that nearly fail tend to fail once the failing ones join: they join with them.
  const slack = scale / 20
  for (let mentee = 0; mentee < menteeCount; mentee++) {
    const rowStart = mentee * mentorCount
    for (let mentor = 0; mentor < mentorCount; mentor++) {
      const pair = rowStart + mentor
      const score = scores[pair]!
      if (score < 0 || used[pair]) continue
      const reduced = layout.rowsAreMentees
        ? scale - score + rowPotential[mentee]! - colPotential[mentor]!
        : scale - score + rowPotential[mentor]! - colPotential[mentee]!
      if (reduced < slack) {
        near.push(pair)
        if (reduced < 0) violations.push(pair)
      }
    }
  }
  return { violations, near }
}

function mentorsOf ({ menteeCount, capacities }: AssignmentProblem, arcs: Arcs, flow: Flow): Int32Array {
  const mentorCount = capacities.length
  const mentorOf = new Int32Array(menteeCount).fill(-1)
  for (let arc = 0; arc < flow.onArc.length; arc++) {
    if (!flow.onArc[arc]) continue
    const pair = arcs.pair[arc]!
    mentorOf[Math.floor(pair / mentorCount)] = pair % mentorCount
  }
  return mentorOf
}

/** A binary min-heap of (key, node); stale entries are skipped by the caller. Ties pop the lower node. */
class MinHeap {
  #keys = new Float64Array(64)
  #nodes = new Int32Array(64)
  #size = 0
  poppedKey = 0

  clear (): void {
    this.#size = 0
  }

  push (key: number, node: number): void {
    if (this.#size === this.#keys.length) {
      const keys = new Float64Array(this.#size * 2)
      keys.set(this.#keys)
      this.#keys = keys
      const nodes = new Int32Array(this.#size * 2)
      nodes.set(this.#nodes)
      this.#nodes = nodes
    }
    let at = this.#size++
    while (at > 0) {
      const parent = (at - 1) >> 1
      if (!this.#before(key, node, this.#keys[parent]!, this.#nodes[parent]!)) break
      this.#keys[at] = this.#keys[parent]!
      this.#nodes[at] = this.#nodes[parent]!
      at = parent
    }
    this.#keys[at] = key
    this.#nodes[at] = node
  }

  /** The node of the least key (its key in `poppedKey`); the caller never pops an empty heap. */
  pop (): number {
    if (this.#size === 0) throw new Error('the search ran out of nodes before reaching nobody')
    const node = this.#nodes[0]!
    this.poppedKey = this.#keys[0]!
    const size = --this.#size
    const key = this.#keys[size]!
    const last = this.#nodes[size]!
    let at = 0
    for (;;) {
      let child = 2 * at + 1
      if (child >= size) break
      if (child + 1 < size && this.#before(this.#keys[child + 1]!, this.#nodes[child + 1]!, this.#keys[child]!, this.#nodes[child]!)) child++
      if (!this.#before(this.#keys[child]!, this.#nodes[child]!, key, last)) break
      this.#keys[at] = this.#keys[child]!
      this.#nodes[at] = this.#nodes[child]!
      at = child
    }
    this.#keys[at] = key
    this.#nodes[at] = last
    return node
  }

  #before (key: number, node: number, otherKey: number, otherNode: number): boolean {
    return key < otherKey || (key === otherKey && node < otherNode)
  }
}
