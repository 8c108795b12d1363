import fc from 'fast-check'
import t from 'tap'
import { Refusal } from '../../domain/errors'
import {
  createScorer, DEFAULT_WEIGHTS, effectiveWeights, type MenteeFeatures, type MentorFeatures, scorePair, SCORE_SCALE, WEIGHT_NAMES
} from '../../domain/matching/scoring'
import { stem, termsOf } from '../../domain/matching/terms'

const terms = (text: string) => termsOf(text).map(({ term }) => term)
const meets = (a: string, b: string) => terms(a).some((term) => terms(b).includes(term))

t.test('terms: case, punctuation, stems and synonyms meet; different words do not', async (t) => {
  t.ok(meets('React', 'react.js'), 'React meets react.js')
  t.ok(meets('ReactJS', 'react'), 'ReactJS meets react')
  t.ok(meets('JS', 'JavaScript'), 'JS meets JavaScript')
  t.ok(meets('Node.js', 'node'), 'Node.js meets node')
  t.ok(meets('SQL and databases', 'Database design'), 'databases meets database')
  t.ok(meets('Testing', 'tests'), 'testing meets tests')
  t.ok(meets('Machine learning', 'ML'), 'machine learning meets ML')
  t.ok(meets('golang', 'Go'), 'golang meets Go')
  t.notOk(meets('java', 'javascript'), 'java does not meet javascript')
  t.notOk(meets('C', 'C++'), 'C does not meet C++')
  t.notOk(meets('C#', 'C++'), 'C# does not meet C++')
  t.same(terms('Happy to help with the, and of'), [], 'words that say nothing about a skill are dropped')
  t.same(terms('React, react.js, REACT!'), ['react'], 'each term once')
  t.same(termsOf('SQL and databases, JS, C++').map(({ word }) => word), ['sql', 'databases', 'javascript', 'c++'], 'the words reasons show')
  t.same(termsOf(null), [])
  t.equal(stem('analysis'), 'analysis')
  t.equal(stem('libraries'), 'library')
  t.equal(stem('css'), 'css')
})

const mentor = (fields: Partial<MentorFeatures> = {}): MentorFeatures =>
  ({ id: 1, user_id: 10, bio: null, experiences: [], zip: null, capacity: 2, active: 0, ...fields })
const mentee = (fields: Partial<MenteeFeatures> = {}): MenteeFeatures =>
  ({ id: 5, user_id: 20, interests: null, zip: null, wanted_mentor_id: null, ...fields })

t.test('a pair explained: each factor that counts, in words', async (t) => {
  const teacher = mentor({ bio: 'I teach React and SQL.', experiences: ['React', 'Node.js'], zip: '94110', capacity: 3, active: 1 })
  const learner = mentee({ interests: 'react.js, SQL, Rust', zip: '94103', wanted_mentor_id: 1 })
  const explained = createScorer([teacher], DEFAULT_WEIGHTS).explain(learner, 0)
  t.same(explained.reasons, [
    'shared interests: react, sql',
    'lists experience in: react',
    'the mentee asked for this mentor',
    'same area (ZIP 941..)',
    'spare capacity: 2 of 3 places free'
  ])
  // 0.35 * 2/3 + 0.25 * 1/3 + 0.2 + 0.1 * 0.75 + 0.1 * 2/3
  t.equal(explained.score, Math.round(SCORE_SCALE * (0.35 * 2 / 3 + 0.25 / 3 + 0.2 + 0.075 + 0.1 * 2 / 3)) / SCORE_SCALE)
  t.equal(explained.score, scorePair(learner, teacher, DEFAULT_WEIGHTS), 'one pair, one score')

  const same = createScorer([mentor({ zip: '94103-1234' })], DEFAULT_WEIGHTS).explain(mentee({ zip: '94103' }), 0)
  t.ok(same.reasons.includes('same ZIP (94103)'))
  const region = createScorer([mentor({ zip: '94501' })], DEFAULT_WEIGHTS).explain(mentee({ zip: '94103' }), 0)
  t.ok(region.reasons.includes('same region (ZIP 94...)'))
  const nothing = createScorer([mentor({ active: 2 })], DEFAULT_WEIGHTS).explain(mentee({ zip: '123' }), 0)
  t.same(nothing, { score: 0, reasons: ['nothing in common found: no shared interest, request, nearby ZIP or weighted spare capacity'] })
  const unweighted = createScorer([teacher], { ...DEFAULT_WEIGHTS, wanted_mentor: 0, location: 0 }).explain(learner, 0)
  t.notOk(unweighted.reasons.some((reason) => /asked|ZIP/.test(reason)), 'a factor weighted 0 is no reason')
})

t.test('every score is from 0 to 1, and scoring a row equals explaining each pair', async (t) => {
  const words = ['React', 'react.js', 'SQL', 'databases', 'JS', 'JavaScript', 'java', 'Python', 'testing', 'UX design', 'career change']
  const text = fc.array(fc.constantFrom(...words), { maxLength: 4 }).map((picked) => picked.join(', '))
  const zip = fc.option(fc.constantFrom('94103', '94110', '94501', '10001', '1'), { nil: null })
  const weight = fc.constantFrom(0, 0.5, 1, 3)
  const weights = fc.record(Object.fromEntries(WEIGHT_NAMES.map((name) => [name, weight])) as Record<typeof WEIGHT_NAMES[number], typeof weight>)
    .filter((chosen) => Object.values(chosen).some((value) => value > 0))
  const mentorArbitrary = fc.record({ bio: text, experiences: fc.array(fc.constantFrom(...words), { maxLength: 3 }), zip, capacity: fc.integer({ min: 1, max: 3 }), active: fc.integer({ min: 0, max: 3 }) })
    .map((fields) => mentor({ ...fields, active: Math.min(fields.active, fields.capacity) }))
  t.doesNotThrow(() => fc.assert(fc.property(fc.array(mentorArbitrary, { minLength: 1, maxLength: 4 }), text, zip, weights, (mentors, interests, menteeZip, chosen) => {
    const scorer = createScorer(mentors.map((one, index) => ({ ...one, id: index + 1 })), chosen)
    const learner = mentee({ interests, zip: menteeZip, wanted_mentor_id: 1 })
    const row = new Int32Array(mentors.length)
    scorer.scoresOf(learner, row)
    return mentors.every((_, index) => {
      const { score, reasons } = scorer.explain(learner, index)
      return score >= 0 && score <= 1 && score === row[index]! / SCORE_SCALE && reasons.length > 0
    })
  }), { seed: 5, numRuns: 300 }))
})

t.test('weights: defaults, then the organization, then the request; not all 0', async (t) => {
  t.same(effectiveWeights('weights', null, undefined), DEFAULT_WEIGHTS)
  t.same(effectiveWeights('weights', { location: 1 }, { interests: 0 }), { ...DEFAULT_WEIGHTS, location: 1, interests: 0 })
  t.equal(WEIGHT_NAMES.reduce((sum, name) => sum + DEFAULT_WEIGHTS[name], 0), 1, 'the defaults sum to 1')
  const allZero = { interests: 0, experiences: 0, wanted_mentor: 0, location: 0, load_balance: 0 }
  t.same(effectiveWeights('weights', allZero, { location: 2 }), { ...allZero, location: 2 }, 'a later layer revives a factor')
  t.throws(() => effectiveWeights('weights', { ...allZero, location: 1 }, { location: 0 }), new Refusal('invalid', 'weights: at least one weight must be above 0'))
  t.throws(() => effectiveWeights('matching_weights', allZero), new Refusal('invalid', 'matching_weights: at least one weight must be above 0'))
  t.throws(() => createScorer([], allZero), /all 0/)
})
