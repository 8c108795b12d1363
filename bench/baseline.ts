/**
 * What the stack can do: bare Fastify 5 answering the bench's requests with raw better-sqlite3
 * prepared statements, on the same file and with the same pragmas as MentorMatchr, one statement
 * (one join) per read. BASELINE_JWT=1 adds what any authenticated server must do: verify the token,
 * whose claims then give the organization; without it every request is organization 1's.
 * It writes what MentorMatchr writes (a meeting recorded by staff notifies both parties), so a
 * ratio measures the server, not a feature the baseline would leave out.
 * No validation, no access rules, no logging, no security headers: the floor, not a rival.
 * Run by scripts/bench.ts: `node --import tsx bench/baseline.ts` with PORT, DATABASE_PATH, JWT_SECRET,
 * and BASELINE_ADDON on a Node other than the one node_modules was built for (better-sqlite3's
 * addon compiled for the executable's Node).
 */
import fastifyJwt from '@fastify/jwt'
import Database from 'better-sqlite3'
import Fastify, { type FastifyRequest } from 'fastify'

const verifying = process.env.BASELINE_JWT === '1'
const sqlite = new Database(process.env.DATABASE_PATH!, { nativeBinding: process.env.BASELINE_ADDON })
sqlite.pragma('journal_mode = WAL')
sqlite.pragma('synchronous = FULL')
sqlite.pragma('foreign_keys = ON')
sqlite.pragma('busy_timeout = 5000')

const ping = sqlite.prepare('SELECT 1')
const MENTEE_COLUMNS = `m.id, m.user_id, m.status, m.lambda_week, m.desired_zip, m.interests, m.application_answers,
  m.wanted_mentor_id, m.deleted, m.created_at, m.updated_at,
  u.first_name, u.last_name, u.email, u.avatar_url`
const menteeById = sqlite.prepare(`SELECT ${MENTEE_COLUMNS} FROM mentees m JOIN users u ON u.id = m.user_id
  WHERE m.id = ? AND m.organization_id = ? AND m.deleted = 0`)
const menteePage = sqlite.prepare(`SELECT ${MENTEE_COLUMNS} FROM mentees m JOIN users u ON u.id = m.user_id
  WHERE m.organization_id = ? AND m.deleted = 0 ORDER BY m.created_at DESC, m.id DESC LIMIT ? OFFSET ?`)
const menteeTotal = sqlite.prepare('SELECT count(*) FROM mentees WHERE organization_id = ? AND deleted = 0').pluck()
const matchPage = sqlite.prepare(`SELECT x.*,
    r.user_id AS r_user_id, r.status AS r_status, ru.first_name AS r_first_name, ru.last_name AS r_last_name,
    e.user_id AS e_user_id, e.status AS e_status, eu.first_name AS e_first_name, eu.last_name AS e_last_name
  FROM matches x JOIN mentors r ON r.id = x.mentor_id JOIN users ru ON ru.id = r.user_id
    JOIN mentees e ON e.id = x.mentee_id JOIN users eu ON eu.id = e.user_id
  WHERE x.organization_id = ? AND x.deleted = 0 AND x.status = ? ORDER BY x.created_at DESC, x.id DESC LIMIT ? OFFSET ?`)
const matchTotal = sqlite.prepare('SELECT count(*) FROM matches WHERE organization_id = ? AND deleted = 0 AND status = ?').pluck()
const partiesOfMatch = sqlite.prepare(`SELECT r.user_id AS mentor_user_id, e.user_id AS mentee_user_id
  FROM matches x JOIN mentors r ON r.id = x.mentor_id JOIN mentees e ON e.id = x.mentee_id
  WHERE x.id = ? AND x.organization_id = ? AND x.deleted = 0 AND x.status != 'CANCELLED'`)
const insertMeeting = sqlite.prepare(`INSERT INTO meetings (organization_id, match_id, meeting_date, location, notes, rating, created_at, updated_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`)
const notifyBoth = sqlite.prepare(`INSERT INTO notifications (organization_id, user_id, content, match_id, about_user_id, created_at, updated_at)
  VALUES (?, ?, 'A meeting of your match has been recorded', ?, ?, ?, ?), (?, ?, 'A meeting of your match has been recorded', ?, ?, ?, ?)`)
const markRead = sqlite.prepare(`UPDATE notifications SET watched = 1, updated_at = ?
  WHERE id = ? AND organization_id = ? AND user_id = ? AND deleted = 0 RETURNING *`)

type Row = Record<string, unknown>
const menteeOf = ({ first_name, last_name, email, avatar_url, deleted, ...mentee }: Row) =>
  ({ ...mentee, deleted: deleted === 1, user: { id: mentee.user_id, first_name, last_name, email, avatar_url } })
const matchOf = ({ r_user_id, r_status, r_first_name, r_last_name, e_user_id, e_status, e_first_name, e_last_name, deleted, ...match }: Row) => ({
  ...match,
  deleted: deleted === 1,
  mentor: { id: match.mentor_id, user_id: r_user_id, status: r_status, user: { id: r_user_id, first_name: r_first_name, last_name: r_last_name } },
  mentee: { id: match.mentee_id, user_id: e_user_id, status: e_status, user: { id: e_user_id, first_name: e_first_name, last_name: e_last_name } }
})

const app = Fastify()
if (verifying) app.register(fastifyJwt, { secret: process.env.JWT_SECRET!, verify: { algorithms: ['HS256'] } })
/** Who asks: the verified token's claims, or organization 1's OWNER (user 1) when nothing is verified. */
function caller (request: FastifyRequest): { org: number, id: number } {
  if (!verifying) return { org: 1, id: 1 }
  const claims = app.jwt.verify<{ sub: string, org: number }>(request.headers.authorization!.replace(/^Bearer /, ''))
  return { org: claims.org, id: Number(claims.sub) }
}

type Params = { id: string }
type Page = { limit?: string, offset?: string, status?: string }

app.get('/health', async () => {
  ping.get()
  return { status: 'ok' }
})
app.get<{ Params: Params }>('/api/mentees/:id', async (request, reply) => {
  const row = menteeById.get(Number(request.params.id), caller(request).org) as Row | undefined
  return row ? menteeOf(row) : reply.code(404).send({ error: 'Mentee not found' })
})
app.get<{ Querystring: Page }>('/api/mentees', async (request, reply) => {
  const { org } = caller(request)
  const rows = menteePage.all(org, Number(request.query.limit ?? 50), Number(request.query.offset ?? 0)) as Row[]
  reply.header('x-total-count', menteeTotal.get(org))
  return rows.map(menteeOf)
})
app.get<{ Querystring: Page }>('/api/matches', async (request, reply) => {
  const { org } = caller(request)
  const status = request.query.status ?? 'ACTIVE'
  const rows = matchPage.all(org, status, Number(request.query.limit ?? 50), Number(request.query.offset ?? 0)) as Row[]
  reply.header('x-total-count', matchTotal.get(org, status))
  return rows.map(matchOf)
})
// What recording a meeting writes: the meeting, and a notification to each party about the other.
const recordMeeting = sqlite.transaction((org: number, parties: Row, meeting: Array<string | number | null>, now: string) => {
  // all(), not get(): get() leaves a RETURNING statement unfinished, and the WAL then never restarts.
  const [row] = insertMeeting.all(org, ...meeting, now, now) as Row[]
  const { mentor_user_id: mentor, mentee_user_id: mentee } = parties
  notifyBoth.run(org, mentor, row!.match_id, mentee, now, now, org, mentee, row!.match_id, mentor, now, now)
  return row!
})
app.post<{ Body: { match_id: number, meeting_date: string, location: string, notes?: string, rating?: number } }>('/api/meetings', async (request, reply) => {
  const { org } = caller(request)
  const { match_id, meeting_date, location, notes = null, rating = null } = request.body
  const parties = partiesOfMatch.get(match_id, org) as Row | undefined
  if (!parties) return reply.code(400).send({ error: 'match_id does not name a match of your organization' })
  const meeting = recordMeeting.immediate(org, parties, [match_id, new Date(meeting_date).toISOString(), location, notes, rating], new Date().toISOString())
  return reply.code(201).send({ ...meeting, deleted: meeting.deleted === 1 })
})
app.patch<{ Params: Params }>('/api/notifications/:id', async (request, reply) => {
  const { org, id } = caller(request)
  const [row] = markRead.all(new Date().toISOString(), Number(request.params.id), org, id) as Row[]
  return row ? { ...row, watched: true, deleted: false } : reply.code(404).send({ error: 'Notification not found' })
})

app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' }).catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
