/**
 * `npm run bench:matching`: the cohort assignment preview over HTTP, on a database filled for the
 * occasion in a temporary folder. Two organizations: 2,000 mentees and 500 mentors, then 10,000
 * mentees and 2,000 mentors (capacities 1 to 5, interests and experiences drawn from one skill list
 * with its usual spellings, ZIP codes from a few areas). The app runs in this process and listens
 * on 127.0.0.1; each size is previewed RUNS times (BENCH_RUNS, default 3) after one warm-up, and the
 * time split comes from the Server-Timing header the route sends.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { faker } from '@faker-js/faker/locale/en'
import { build } from '../app'
import { experiences, mentees, mentors, users } from '../db/schema'

const RUNS = Number(process.env.BENCH_RUNS ?? 3)
const SIZES = [{ mentees: 2_000, mentors: 500, target: 1_000 }, { mentees: 10_000, mentors: 2_000, target: 10_000 }]

/** Each skill with the spellings people write it in. */
const SKILLS = [
  ['JavaScript', 'JS', 'javascript'], ['TypeScript', 'TS'], ['React', 'react.js', 'ReactJS'], ['Node.js', 'node', 'NodeJS'],
  ['Python'], ['Java'], ['SQL', 'databases', 'PostgreSQL', 'Postgres'], ['System design'], ['Testing', 'unit tests'],
  ['DevOps', 'CI/CD'], ['Kubernetes', 'k8s'], ['AWS', 'cloud'], ['UX design', 'user experience'], ['Data analysis'],
  ['Machine learning', 'ML'], ['Go', 'golang'], ['Rust'], ['C++'], ['C#', '.NET'], ['Vue', 'vue.js'], ['Angular'],
  ['GraphQL'], ['Docker'], ['Security'], ['Mobile', 'iOS', 'Android'], ['Interview preparation'], ['Career change'],
  ['Product management'], ['Accessibility'], ['Performance']
]
const AREAS = ['941', '940', '945', '100', '112', '606', '981', '787', '303', '021', '191', '850']

const chunks = <T>(rows: T[], size = 500) => Array.from({ length: Math.ceil(rows.length / size) }, (_, index) => rows.slice(index * size, (index + 1) * size))
const zip = () => `${faker.helpers.arrayElement(AREAS)}${faker.string.numeric(2)}`

async function main (): Promise<void> {
  faker.seed(42)
  const folder = mkdtempSync(join(tmpdir(), 'mentormatchr-bench-matching-'))
  const app = build({ config: { DATABASE_PATH: join(folder, 'bench.db'), LOG_LEVEL: 'warn' } })
  try {
    await app.listen({ port: 0, host: '127.0.0.1' })
    const { port } = app.server.address() as { port: number }
    const url = `http://127.0.0.1:${port}`
    console.log(`node ${process.version}, ${RUNS} runs after a warm-up, POST /api/matches/assignments over HTTP`)

    for (const [index, size] of SIZES.entries()) {
      const registered = await fetch(`${url}/api/auth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ organization_name: `Bench ${index}`, email: `bench${index}@example.com`, password: 'benchmark password' })
      })
      const { token, organization } = await registered.json() as { token: string, organization: { id: number } }
      const filled = performance.now()
      fill(app, organization.id, size)
      const filling = performance.now() - filled

      const times: Array<{ wall: number, timing: string, pairs: number }> = []
      for (let run = 0; run <= RUNS; run++) {
        const started = performance.now()
        const response = await fetch(`${url}/api/matches/assignments`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: '{}'
        })
        const preview = await response.json() as { pairs: unknown[], unmatched: unknown[] }
        if (response.status !== 200) throw new Error(`preview answered ${response.status}: ${JSON.stringify(preview)}`)
        if (run > 0) times.push({ wall: performance.now() - started, timing: response.headers.get('server-timing') ?? '', pairs: preview.pairs.length })
      }
      times.sort((a, b) => a.wall - b.wall)
      const median = times[Math.floor(times.length / 2)]!
      console.log(`${size.mentees} mentees x ${size.mentors} mentors (filled in ${(filling / 1000).toFixed(1)} s): ` +
        `median ${median.wall.toFixed(0)} ms (best ${times[0]!.wall.toFixed(0)}, worst ${times.at(-1)!.wall.toFixed(0)}; target under ${size.target} ms), ` +
        `${median.pairs} pairs; server split of the median run: ${median.timing}`)
    }
  } finally {
    await app.close()
    rmSync(folder, { recursive: true, force: true })
  }
}

/** Writes the people and profiles of one organization straight into the database, in one transaction. */
function fill (app: ReturnType<typeof build>, organizationId: number, size: { mentees: number, mentors: number }): void {
  const person = (role: 'MENTOR' | 'MENTEE', index: number) => ({
    organization_id: organizationId,
    email: `${role.toLowerCase()}${index}@org${organizationId}.example`,
    first_name: faker.person.firstName(),
    last_name: faker.person.lastName(),
    zipcode: zip(),
    role
  })
  const insertUsers = (role: 'MENTOR' | 'MENTEE', count: number) => chunks(Array.from({ length: count }, (_, index) => person(role, index)))
    .flatMap((chunk) => app.db.insert(users).values(chunk).returning({ id: users.id }).all())
  const spelling = (skill: string[]) => faker.helpers.arrayElement(skill)
  app.db.transaction(() => {
    const mentorUsers = insertUsers('MENTOR', size.mentors)
    const mentorIds: number[] = []
    const skills: Array<typeof experiences.$inferInsert> = []
    for (const chunk of chunks(mentorUsers)) {
      const rows = chunk.map(({ id }) => {
        const chosen = faker.helpers.arrayElements(SKILLS, { min: 2, max: 5 })
        for (const skill of chosen) skills.push({ organization_id: organizationId, user_id: id, name: skill[0]! })
        return {
          organization_id: organizationId,
          user_id: id,
          status: 'AVAILABLE' as const,
          capacity: faker.number.int({ min: 1, max: 5 }),
          bio: `${faker.person.jobTitle()} at ${faker.company.name()}. Happy to help with ${spelling(faker.helpers.arrayElement(SKILLS))} and ${spelling(chosen[0]!)}.`
        }
      })
      mentorIds.push(...app.db.insert(mentors).values(rows).returning({ id: mentors.id }).all().map(({ id }) => id))
    }
    for (const chunk of chunks(skills)) app.db.insert(experiences).values(chunk).run()
    const menteeUsers = insertUsers('MENTEE', size.mentees)
    for (const chunk of chunks(menteeUsers)) {
      app.db.insert(mentees).values(chunk.map(({ id }) => ({
        organization_id: organizationId,
        user_id: id,
        status: 'AVAILABLE' as const,
        lambda_week: faker.number.int({ min: 1, max: 12 }),
        desired_zip: faker.datatype.boolean(0.7) ? zip() : null,
        interests: faker.helpers.arrayElements(SKILLS, { min: 1, max: 4 }).map(spelling).join(', '),
        wanted_mentor_id: faker.datatype.boolean(0.1) ? faker.helpers.arrayElement(mentorIds) : null
      }))).run()
    }
  })
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
