/**
 * The bench's database: a realistic installation written with raw prepared inserts in one
 * transaction, into a file migrated by the app's own openDatabase (same schema, same pragmas).
 * Organization 1 is the one the bench signs in to; it also holds a pool of AVAILABLE mentees and
 * roomy mentors that POST /api/matches consumes, one mentee per request.
 */
import { openDatabase } from '../db/connection'
import { hashPassword } from '../domain/passwords'

export interface DatasetSizes {
  organizations: number
  /** Per organization, beyond the pools below. */
  mentees: number
  mentors: number
  /** Plain USERs per organization, on top of the profiles' users and the three staff. */
  users: number
  experiencesPerMentor: number
  matchesPerOrganization: number
  meetingsPerMatch: number
  notificationsPerOrganization: number
  /** Organization 1's free mentees, and the mentors (capacity 20) that can take them. */
  matchPool: number
}

/** At least what issue 12 asks: 20 organizations, 20,000 users, 8,000 mentees, 2,000 mentors, ... */
export const FULL: DatasetSizes = {
  organizations: 20,
  mentees: 400,
  mentors: 100,
  users: 290,
  experiencesPerMentor: 10,
  matchesPerOrganization: 500,
  meetingsPerMatch: 5,
  notificationsPerOrganization: 5000,
  matchPool: 8000
}

/** Enough for every request to answer 2xx: the smoke run of the test suite. */
export const TINY: DatasetSizes = {
  organizations: 2,
  mentees: 20,
  mentors: 5,
  users: 5,
  experiencesPerMentor: 2,
  matchesPerOrganization: 10,
  meetingsPerMatch: 2,
  notificationsPerOrganization: 50,
  matchPool: 1000
}

const POOL_MENTOR_CAPACITY = 20

/** What the bench's requests name: organization 1's OWNER and the ids it rotates through. */
export interface Dataset {
  email: string
  password: string
  counts: Record<string, number>
  menteeIds: number[]
  /** ACTIVE matches of organization 1, where meetings are recorded. */
  activeMatchIds: number[]
  /** The OWNER's own notifications, which only they may mark read. */
  notificationIds: number[]
  /** `[mentor_id, mentee_id]`, each pair creatable once. */
  freePairs: Array<[number, number]>
}

export async function createDataset (path: string, sizes: DatasetSizes): Promise<Dataset> {
  const password = 'bench password'
  const passwordHash = await hashPassword(password)
  const { sqlite } = openDatabase(path)
  const dataset: Dataset = { email: 'owner-1@bench.example', password, counts: {}, menteeIds: [], activeMatchIds: [], notificationIds: [], freePairs: [] }
  // Timestamps one second apart, oldest first, so that lists have a real order to follow.
  let clock = Date.UTC(2025, 0, 1)
  const stamp = () => new Date(clock += 1000).toISOString()
  const insert = (table: string, columns: string[]) => {
    const statement = sqlite.prepare(`INSERT INTO ${table} (${columns.join(', ')}, created_at, updated_at) VALUES (${columns.map(() => '?').join(', ')}, ?, ?)`)
    return (...values: unknown[]): number => {
      const at = stamp()
      dataset.counts[table] = (dataset.counts[table] ?? 0) + 1
      return Number(statement.run(...values, at, at).lastInsertRowid)
    }
  }
  const organization = insert('organizations', ['name'])
  const user = insert('users', ['organization_id', 'email', 'password_hash', 'first_name', 'last_name', 'city', 'role'])
  const mentor = insert('mentors', ['organization_id', 'user_id', 'status', 'capacity', 'bio'])
  const mentee = insert('mentees', ['organization_id', 'user_id', 'status', 'lambda_week', 'interests'])
  const experience = insert('experiences', ['organization_id', 'user_id', 'name'])
  const match = insert('matches', ['organization_id', 'mentor_id', 'mentee_id', 'status', 'start_date'])
  const meeting = insert('meetings', ['organization_id', 'match_id', 'meeting_date', 'location', 'notes', 'rating'])
  const notification = insert('notifications', ['organization_id', 'user_id', 'content', 'watched'])

  sqlite.transaction(() => {
    let people = 0
    const person = (org: number, role: string, email = `person-${++people}@bench.example`) =>
      user(org, email, passwordHash, `First${people}`, `Last${people}`, 'Springfield', role)
    for (let o = 1; o <= sizes.organizations; o++) {
      const org = organization(`Bench organization ${o}`)
      const owner = person(org, 'OWNER', `owner-${o}@bench.example`)
      person(org, 'MANAGER')
      person(org, 'MANAGER')
      for (let i = 0; i < sizes.users; i++) person(org, 'USER')
      const mentorIds = Array.from({ length: sizes.mentors }, (_, i) => {
        const userId = person(org, 'MENTOR')
        for (let e = 0; e < sizes.experiencesPerMentor; e++) experience(org, userId, `Experience ${e}`)
        return mentor(org, userId, 'AVAILABLE', 5, `Mentor ${i} of organization ${o}`)
      })
      const menteeIds = Array.from({ length: sizes.mentees }, (_, i) =>
        mentee(org, person(org, 'MENTEE'), 'AVAILABLE', 1 + (i % 12), 'testing, databases'))
      const userIds = sqlite.prepare('SELECT id FROM users WHERE organization_id = ?').pluck().all(org) as number[]
      for (let m = 0; m < sizes.matchesPerOrganization; m++) {
        // One ACTIVE match in four; each turn through the mentees shifts the mentors, so no pair repeats.
        const status = m % 4 === 0 ? 'ACTIVE' : m % 4 === 1 ? 'CANCELLED' : 'COMPLETED'
        const turn = Math.floor(m / menteeIds.length)
        const matchId = match(org, mentorIds[(m + turn) % mentorIds.length], menteeIds[m % menteeIds.length], status, stamp())
        if (o === 1 && status === 'ACTIVE') dataset.activeMatchIds.push(matchId)
        for (let k = 0; k < sizes.meetingsPerMatch; k++) meeting(org, matchId, stamp(), 'Library', 'Talked about the project', 1 + (k % 5))
      }
      for (let n = 0; n < sizes.notificationsPerOrganization; n++) {
        // A fifth of them are the OWNER's, so the OWNER has enough to mark read.
        const recipient = n % 5 === 0 ? owner : userIds[n % userIds.length]
        const notificationId = notification(org, recipient, `Notice ${n}`, n % 2)
        if (o === 1 && recipient === owner) dataset.notificationIds.push(notificationId)
      }
      if (o === 1) {
        dataset.menteeIds = menteeIds
        const poolMentors = Array.from({ length: Math.ceil(sizes.matchPool / POOL_MENTOR_CAPACITY) }, () =>
          mentor(org, person(org, 'MENTOR'), 'AVAILABLE', POOL_MENTOR_CAPACITY, null))
        for (let p = 0; p < sizes.matchPool; p++) {
          dataset.freePairs.push([poolMentors[p % poolMentors.length]!, mentee(org, person(org, 'MENTEE'), 'AVAILABLE', 1, null)])
        }
      }
    }
  })()
  sqlite.pragma('wal_checkpoint(TRUNCATE)')
  sqlite.close()
  return dataset
}
