import fc from 'fast-check'
import t from 'tap'
import type { mentees, mentors } from '../../db/schema'
import { callerOf } from '../../domain/caller'
import { buildApp, createUser, rowsOf, scopeOf } from '../helper'

// The preview on real data, random small organizations: it equals the best assignment found by
// trying every one over the suggestions' scores, and the suggestions hold exactly the mentors the
// rules allow.

const WORDS = ['React', 'react.js', 'SQL', 'databases', 'JS', 'JavaScript', 'java', 'Python', 'testing', 'career change']
const ZIPS = ['94103', '94110', '94501', '10001', null]

const organizationData = fc.record({
  mentors: fc.array(fc.record({
    capacity: fc.integer({ min: 1, max: 3 }),
    status: fc.constantFrom('AVAILABLE', 'AVAILABLE', 'AVAILABLE', 'UNAVAILABLE', 'PENDING'),
    skills: fc.uniqueArray(fc.constantFrom(...WORDS), { maxLength: 3 }),
    bio: fc.array(fc.constantFrom(...WORDS), { maxLength: 2 }).map((words) => words.join(' and ')),
    zip: fc.constantFrom(...ZIPS),
    deleted: fc.integer({ min: 0, max: 9 }).map((draw) => draw === 0)
  }), { maxLength: 5 }),
  mentees: fc.array(fc.record({
    status: fc.constantFrom('AVAILABLE', 'AVAILABLE', 'AVAILABLE', 'UNAVAILABLE'),
    interests: fc.array(fc.constantFrom(...WORDS), { maxLength: 3 }).map((words) => words.join(', ')),
    zip: fc.constantFrom(...ZIPS),
    wanted: fc.nat(6),
    // Also a mentor of the organization (the same person): never their own mentor.
    alsoMentor: fc.nat(8),
    // Already in an ACTIVE match with one of the mentors (staff left them AVAILABLE).
    matchedWith: fc.nat(10)
  }), { maxLength: 8 })
})

type Row = Record<string, unknown>
type Mentor = typeof mentors.$inferSelect
type Mentee = typeof mentees.$inferSelect

t.test('preview = the exhaustive optimum over the suggestion scores; suggestions = the eligible mentors', async (t) => {
  const app = await buildApp(t)
  const admin = await createUser(app, null, 'ADMINISTRATOR')
  let organizations = 0
  const failures: string[] = []

  await fc.assert(fc.asyncProperty(organizationData, async (data) => {
    const organization = app.domain.organizations.create({ name: `property ${++organizations}` })
    const scope = scopeOf(organization.id)
    const owner = callerOf((await createUser(app, organization.id, 'OWNER')).user)
    const mentorProfiles: Mentor[] = []
    for (const fields of data.mentors) {
      const { user } = await createUser(app, organization.id, 'MENTOR', { zipcode: fields.zip })
      for (const name of fields.skills) app.domain.tables.experiences.insert(scope, { organization_id: organization.id, user_id: user.id, name })
      mentorProfiles.push(app.domain.tables.mentors.insert(scope, {
        organization_id: organization.id, user_id: user.id, status: fields.status as 'AVAILABLE', capacity: fields.capacity, bio: fields.bio, deleted: fields.deleted
      }))
    }
    const menteeProfiles: Mentee[] = []
    for (const fields of data.mentees) {
      const { user } = await createUser(app, organization.id, 'MENTEE')
      const profile = app.domain.tables.mentees.insert(scope, {
        organization_id: organization.id,
        user_id: user.id,
        status: fields.status as 'AVAILABLE',
        lambda_week: 1,
        interests: fields.interests,
        desired_zip: fields.zip,
        wanted_mentor_id: mentorProfiles[fields.wanted]?.id ?? null
      })
      menteeProfiles.push(profile)
      if (fields.alsoMentor < 2) {
        mentorProfiles.push(app.domain.tables.mentors.insert(scope, { organization_id: organization.id, user_id: user.id, status: 'AVAILABLE', capacity: 1 + fields.alsoMentor }))
      }
      const partner = mentorProfiles[fields.matchedWith]
      if (partner) app.domain.tables.matches.insert(scope, { organization_id: organization.id, mentor_id: partner.id, mentee_id: profile.id, status: 'ACTIVE' })
    }

    // The rules, read from the rows.
    const matches = rowsOf(app, 'matches') as Row[]
    const live = (mentorId: number) => matches.filter((match) => match.mentor_id === mentorId && match.status === 'ACTIVE' && !match.deleted)
    const room = new Map(mentorProfiles.filter((mentor) => mentor.status === 'AVAILABLE' && !mentor.deleted)
      .map((mentor) => [mentor.id, mentor.capacity - live(mentor.id).length] as const).filter(([, free]) => free > 0))
    const eligible = (mentee: Mentee) => mentorProfiles.filter((mentor) => room.has(mentor.id) &&
      mentor.user_id !== mentee.user_id && !live(mentor.id).some((match) => match.mentee_id === mentee.id)).map((mentor) => mentor.id).sort((a, b) => a - b)

    const scores = new Map<number, Map<number, number>>()
    for (const mentee of menteeProfiles) {
      const { rows, total } = app.domain.matching.suggestions(owner, { mentee_id: mentee.id, limit: 1000 })
      if (total !== rows.length) failures.push('total counts the rows')
      if (JSON.stringify(rows.map((row) => row.mentor_id).sort((a, b) => a - b)) !== JSON.stringify(eligible(mentee))) {
        failures.push(`suggestions of mentee ${mentee.id}: ${JSON.stringify(rows.map((row) => row.mentor_id))}, eligible ${JSON.stringify(eligible(mentee))}`)
      }
      for (let index = 1; index < rows.length; index++) if (rows[index - 1]!.score < rows[index]!.score) failures.push('best first')
      scores.set(mentee.id, new Map(rows.map((row) => [row.mentor_id, row.score])))
    }

    const cohort = menteeProfiles.filter((mentee) => mentee.status === 'AVAILABLE')
    const places = new Map(room)
    let best = { pairs: 0, total: 0 }
    const visit = (index: number, pairs: number, total: number) => {
      if (index === cohort.length) {
        if (pairs > best.pairs || (pairs === best.pairs && total > best.total + 1e-12)) best = { pairs, total }
        return
      }
      visit(index + 1, pairs, total)
      for (const [mentorId, score] of scores.get(cohort[index]!.id)!) {
        if (places.get(mentorId)! === 0) continue
        places.set(mentorId, places.get(mentorId)! - 1)
        visit(index + 1, pairs + 1, total + score)
        places.set(mentorId, places.get(mentorId)! + 1)
      }
    }
    visit(0, 0, 0)

    const before = rowsOf(app, 'matches').length
    const preview = app.domain.matching.preview(owner, {})
    if (rowsOf(app, 'matches').length !== before) failures.push('the preview wrote')
    if (preview.pairs.length !== best.pairs || Math.abs(preview.total_score - best.total) > 1e-9) {
      failures.push(`organization ${organization.id}: preview ${preview.pairs.length} pairs, ${preview.total_score}; best ${best.pairs}, ${best.total}`)
    }
    const load = new Map<number, number>()
    for (const pair of preview.pairs) {
      load.set(pair.mentor_id, (load.get(pair.mentor_id) ?? 0) + 1)
      if (scores.get(pair.mentee_id)?.get(pair.mentor_id) !== pair.score) failures.push(`pair ${pair.mentee_id}-${pair.mentor_id}: not its suggestion's score`)
    }
    for (const [mentorId, count] of load) if (count > (room.get(mentorId) ?? 0)) failures.push(`mentor ${mentorId} over capacity`)
    if (!preview.unmatched.every((row) => row.reason.length > 0)) failures.push('an unmatched mentee without a reason')
    const covered = [...preview.pairs, ...preview.unmatched].map((row) => row.mentee_id).sort((a, b) => a - b)
    if (JSON.stringify(covered) !== JSON.stringify(cohort.map((mentee) => mentee.id))) failures.push('every mentee of the cohort is paired or unmatched')

    const byAdmin = app.domain.matching.preview(callerOf(admin.user), {}).pairs.filter((pair) => menteeProfiles.some((mentee) => mentee.id === pair.mentee_id))
    if (JSON.stringify(byAdmin) !== JSON.stringify(preview.pairs)) failures.push('the ADMINISTRATOR\'s preview solves each organization alone, the same')
    return failures.length === 0
  }), { seed: 23, numRuns: 40 })
  t.same(failures, [], 'every generated organization')
})
