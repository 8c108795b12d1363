import type { FastifyInstance } from 'fastify'
import type { Test } from 'tap'
import { mentee, mentor, organization } from '../fixtures'
import { buildApp, call, createUser, movableClock } from '../helper'

export const HOUR = 60 * 60 * 1000
export const DAY = 24 * HOUR

/** The requests' tests start their clock at a fixed moment, so that every expiry is exact. */
export const requestClock = () => movableClock('2026-11-02T09:00:00.000Z')

type Person = { headers: Record<string, string> }
type Profile = { profile: { id: number } }

/** POST /api/requests by a mentee to a mentor, with `message` filled unless the body says otherwise. */
export const ask = (app: FastifyInstance, learner: Person, teacher: Profile, body: Record<string, unknown> = {}) =>
  call(app, 'POST', '/api/requests', { headers: learner.headers, payload: { mentor_id: teacher.profile.id, message: 'Could you help me with SQL?', ...body } })

/** An organization with four AVAILABLE mentors (one place each), two AVAILABLE mentees, and a stranger organization. */
export async function requestWorld (t: Test, clock = requestClock()) {
  const app = await buildApp(t, {}, { clock })
  const home = await organization(app)
  const teachers = [await mentor(app, home.orgId), await mentor(app, home.orgId), await mentor(app, home.orgId), await mentor(app, home.orgId)]
  const learner = await mentee(app, home.orgId)
  const peer = await mentee(app, home.orgId)
  const away = await organization(app)
  const stranger = await mentor(app, away.orgId)
  const strangerMentee = await mentee(app, away.orgId)
  const admin = await createUser(app, null, 'ADMINISTRATOR')
  return { app, clock, ...home, teachers, learner, peer, away, stranger, strangerMentee, admin }
}

/** Every request row, for checking that a refusal wrote nothing. */
export const requestRows = (app: FastifyInstance) => app.sqlite.prepare('SELECT * FROM requests ORDER BY id').all()

/** The notifications written so far, with what they are about. */
export const noticesAbout = (app: FastifyInstance) =>
  app.sqlite.prepare('SELECT user_id, content, match_id, about_user_id FROM notifications ORDER BY id').all() as
    Array<{ user_id: number, content: string, match_id: number | null, about_user_id: number | null }>
