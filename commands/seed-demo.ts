import { faker } from '@faker-js/faker/locale/en'
import { eq } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import { mentees as menteesTable, type Role } from '../db/schema'
import { callerOf, type User } from '../domain/caller'
import { isUniqueViolation } from '../domain/errors'
import { hashPassword } from '../domain/passwords'
import { Scope } from '../domain/tenancy'
import { CommandError } from './errors'

export const DEFAULT_DEMO_SEED = 1

const SKILLS = [
  'JavaScript', 'TypeScript', 'React', 'Node.js', 'Python', 'SQL and databases', 'System design',
  'Testing', 'Cloud and DevOps', 'UX design', 'Data analysis', 'Interview preparation', 'Career change'
]
const MEETING_PLACES = ['Zoom', 'Google Meet', 'Microsoft Teams', 'Phone call', 'Coffee near campus']
const MEETING_NOTES = [
  'Reviewed the portfolio and picked two projects to polish.',
  'Mock interview: explained the trade-offs of a small system design.',
  'Walked through a pull request together; talked about code review etiquette.',
  'Set goals for the next two weeks: finish the capstone API and write its tests.',
  'Talked about how to approach take-home assignments.',
  'Paired on a React state bug until it made sense.',
  'Discussed networking and how to write to hiring managers.'
]
const CANCEL_REASONS = ['Our schedules never lined up.', 'The mentee paused the program for a family matter.']

/** ZIP prefixes of a few metropolitan areas, so that some people live near each other. */
const AREAS = ['941', '946', '100', '112', '606']

const DAY = 24 * 60 * 60 * 1000
const MENTORS = 7
const MENTEES = 12
// Half the mentees are matched, so a new user finds mentees waiting and mentors with free places:
// the suggestions and the cohort preview have something to show at once.
const MATCHES = 6

export interface DemoSummary {
  organization: { id: number, name: string }
  owner: User
  counts: Record<'users' | 'mentors' | 'mentees' | 'experiences' | 'matches' | 'meetings' | 'notifications', number>
  /** The AVAILABLE mentees, waiting for a mentor. */
  waitingMenteeIds: number[]
}

/**
 * Fills one new organization with believable people, profiles, experiences, matches and meetings,
 * so that staff can try the product at once. The same seed gives the same people. The OWNER writes
 * profiles, experiences, matches and meetings through the same domain modules as the API (statuses,
 * capacity, notifications; their transactions become savepoints), and everything is written in one
 * transaction: a failed run leaves nothing behind. Every demo person has `password`.
 */
export async function seedDemo (app: FastifyInstance, seed: number, password: string): Promise<DemoSummary> {
  faker.seed(seed)
  const passwordHash = await hashPassword(password)
  const company = faker.company.name()
  const name = `${company} Mentoring`
  const domain = `${faker.helpers.slugify(company).toLowerCase().replace(/[^a-z0-9-]/g, '')}.example`
  const { tables, mentors: mentorProfiles, mentees: menteeProfiles, experiences, matches, meetings } = app.domain
  const now = Date.now()
  const daysAgo = (days: number) => new Date(now - days * DAY)
  const zipCode = () => `${faker.helpers.arrayElement(AREAS)}${faker.string.numeric(2)}`

  try {
    return app.db.transaction(() => {
      const organization = app.domain.organizations.create({
        name, description: `${faker.company.catchPhrase()}. A demo organization made by seed-demo.`
      })
      const scope = Scope.organization(organization.id)
      const emails = new Set<string>()
      const person = (role: Role) => {
        const first_name = faker.person.firstName()
        const last_name = faker.person.lastName()
        const local = faker.helpers.slugify(`${first_name}.${last_name}`).toLowerCase().replace(/[^a-z0-9.-]/g, '')
        let email = `${local}@${domain}`
        for (let n = 2; emails.has(email); n++) email = `${local}${n}@${domain}`
        emails.add(email)
        return tables.users.insert(scope, {
          role,
          email,
          password_hash: passwordHash,
          first_name,
          last_name,
          city: faker.location.city(),
          state: faker.location.state({ abbreviated: true }),
          zipcode: zipCode(),
          country: 'United States',
          // Their addresses are under .example, which no mail reaches: no email is tried.
          email_notifications: 'NONE'
        })
      }

      const owner = person('OWNER')
      const staff = callerOf(owner)
      person('MANAGER')

      const mentors = Array.from({ length: MENTORS + 1 }, (_, index) => {
        // The last one has applied and waits for staff: a USER with a PENDING profile.
        const applicant = index === MENTORS
        const user = person(applicant ? 'USER' : 'MENTOR')
        const skills = faker.helpers.arrayElements(SKILLS, { min: 2, max: 4 })
        for (const skill of skills) experiences.create(staff, { user_id: user.id, name: skill })
        return mentorProfiles.create(staff, {
          user_id: user.id,
          status: applicant ? 'PENDING' : 'AVAILABLE',
          capacity: faker.number.int({ min: 2, max: 3 }),
          bio: `${faker.person.jobTitle()} at ${faker.company.name()}, ${faker.number.int({ min: 3, max: 20 })} years in the industry. ` +
            `Happy to help with ${skills.slice(0, 2).join(' and ')}.`
        })
      })
      const approvedMentors = mentors.filter((mentor) => mentor.status === 'AVAILABLE')

      const mentees = Array.from({ length: MENTEES + 2 }, (_, index) => {
        const applicant = index >= MENTEES
        const user = person(applicant ? 'USER' : 'MENTEE')
        const interests = faker.helpers.arrayElements(SKILLS, { min: 1, max: 3 })
        return menteeProfiles.create(staff, {
          user_id: user.id,
          status: applicant ? 'PENDING' : 'AVAILABLE',
          lambda_week: faker.number.int({ min: 1, max: 24 }),
          desired_zip: zipCode(),
          interests: interests.join(', '),
          application_answers: `Background: ${faker.person.jobTitle()}. I am changing careers into software ` +
            `and would like help with ${interests[0]!.toLowerCase()}.`,
          wanted_mentor_id: faker.datatype.boolean(0.25) ? faker.helpers.arrayElement(approvedMentors).id : null
        })
      })

      for (const mentee of mentees.slice(0, MATCHES)) {
        const free = approvedMentors.filter((mentor) => tables.mentors.get(scope, mentor.id).status === 'AVAILABLE')
        if (free.length === 0) break
        const start = faker.date.between({ from: daysAgo(75), to: daysAgo(21) })
        // Without match_score: the matching model scores the pair, as it would a match staff make.
        const match = matches.create(staff, {
          mentor_id: faker.helpers.arrayElement(free).id,
          mentee_id: mentee.id,
          start_date: start.toISOString()
        })
        const ending = faker.helpers.weightedArrayElement([
          { weight: 5, value: 'ACTIVE' as const }, { weight: 2, value: 'COMPLETED' as const }, { weight: 1, value: 'CANCELLED' as const }
        ])
        const end = new Date(Math.min(start.getTime() + faker.number.int({ min: 14, max: 28 }) * DAY, now - DAY))
        // A meeting every two weeks from the start to the end (or to today), and the next one for a live match.
        const last = ending === 'ACTIVE' ? now : end.getTime()
        for (let at = start.getTime() + 2 * DAY; at < last; at += 14 * DAY) {
          meetings.create(staff, {
            match_id: match.id,
            meeting_date: new Date(at).toISOString(),
            location: faker.helpers.arrayElement(MEETING_PLACES),
            notes: faker.helpers.arrayElement(MEETING_NOTES),
            rating: faker.helpers.maybe(() => faker.number.int({ min: 3, max: 5 }), { probability: 0.8 }) ?? null
          })
        }
        if (ending === 'ACTIVE') {
          meetings.create(staff, {
            match_id: match.id,
            meeting_date: faker.date.soon({ days: 7, refDate: now }).toISOString(),
            location: faker.helpers.arrayElement(MEETING_PLACES)
          })
        } else {
          // Ended after its meetings: a CANCELLED match takes no new ones.
          matches.update(staff, match.id, {
            status: ending,
            end_date: end.toISOString(),
            cancel_reason: ending === 'CANCELLED' ? faker.helpers.arrayElement(CANCEL_REASONS) : null
          })
        }
      }

      const count = (table: keyof DemoSummary['counts']) => tables[table].list(scope, { limit: 1, offset: 0 }).total
      return {
        organization: { id: organization.id, name: organization.name },
        owner,
        counts: {
          users: count('users'),
          mentors: count('mentors'),
          mentees: count('mentees'),
          experiences: count('experiences'),
          matches: count('matches'),
          meetings: count('meetings'),
          notifications: count('notifications')
        },
        waitingMenteeIds: tables.mentees.list(scope, { limit: MENTEES, offset: 0, where: [eq(menteesTable.status, 'AVAILABLE')] }).rows
          .map((mentee) => mentee.id).sort((a, b) => a - b)
      }
    })
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new CommandError(`The demo organization "${name}" exists already: pass --seed with another number for another one`)
    }
    throw error
  }
}
