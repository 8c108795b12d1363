import fc from 'fast-check'
import { stringify } from 'csv-stringify/sync'
import t from 'tap'
import { tokenHash } from '../../db/tokens'
import { systemClock } from '../../domain/clock'
import { createInvitations, type Mail, MAX_IMPORT_ROWS, readInvitationFile } from '../../domain/invitations'
import { IMPORT_BODY_LIMIT } from '../../routes/api/invitations/import'
import { InvitationRow } from '../../schemas/invitations'
import { buildApp, call, createUser, registerOrganization, rowsOf, scopeOf } from '../helper'

// 10,000 rows twice and two property runs: more than tap's 30 seconds on a busy machine.
t.setTimeout(180_000)

type T = Parameters<typeof buildApp>[0]
type Row = Record<string, unknown>

const IMPORT = '/api/invitations/import'
const csv = (headers: Record<string, string>) => ({ ...headers, 'content-type': 'text/csv' })

async function setup (t: T) {
  const app = await buildApp(t, { APP_URL: 'https://app.example.org' })
  const owner = await registerOrganization(app)
  const org = owner.organization.id
  const manager = await createUser(app, org, 'MANAGER')
  const mentee = await createUser(app, org, 'MENTEE')
  const other = await registerOrganization(app)
  const admin = await createUser(app, null, 'ADMINISTRATOR')
  return { app, owner, org, manager, mentee, other, admin }
}

type Setup = Awaited<ReturnType<typeof setup>>

/** Every table an import could write to, so that a refusal can be shown to have written nothing. */
const snapshot = (app: Setup['app']) => ({ invitations: rowsOf(app, 'invitations'), users: rowsOf(app, 'users') })

t.test('a CSV file: BOM, CRLF, quoted fields, a header in any order and case; one invitation per row, in one answer', async (t) => {
  const { app, manager, org } = await setup(t)
  const file = '\uFEFFWeek, Role ,Name,EMAIL\r\n' +
    '3,MENTEE,"Lovelace, Ada",  Ada@Example.ORG \r\n' +
    ',MENTOR,"Grace ""Amazing"" Hopper",grace@example.org\r\n' +
    '\r\n' +
    ',,,linus@example.org\r\n' +
    '7,,Short Row\r\n'
  const res = await call(app, 'POST', IMPORT, { headers: csv(manager.headers), payload: file })
  t.equal(res.status, 200)
  t.same(res.body.summary, { rows: 4, valid: 3, created: 3, refused: 1, emails_sent: 0 })
  t.equal(res.body.dry_run, false)
  const [ada, grace, linus, short] = res.body.results
  t.match(ada, { row: 1, email: 'ada@example.org', status: 'created', week: 3, invitation: { email: 'ada@example.org', name: 'Lovelace, Ada', role: 'MENTEE', organization_id: org, invited_by: manager.user.id, status: 'PENDING', email_sent: false } })
  t.match(grace, { row: 2, status: 'created', invitation: { name: 'Grace "Amazing" Hopper', role: 'MENTOR' } })
  t.match(linus, { row: 3, status: 'created', invitation: { name: null, role: 'MENTEE' } }, 'empty cells are absent: no name, the default role')
  t.notOk('week' in grace, 'no week given, none answered')
  t.same(short, { row: 4, email: null, status: 'refused', error: 'email is required', details: [{ field: 'email', message: 'is required' }] }, 'a short row lacks its last cells')
  t.match(ada.invitation.accept_url, /^https:\/\/app\.example\.org\/invitations\/[A-Za-z0-9_-]{43}$/)

  const stored = rowsOf(app, 'invitations') as Row[]
  t.same(stored.map((row) => [row.email, row.name, row.role, row.token_hash]), [
    ['ada@example.org', 'Lovelace, Ada', 'MENTEE', tokenHash(ada.invitation.token)],
    ['grace@example.org', 'Grace "Amazing" Hopper', 'MENTOR', tokenHash(grace.invitation.token)],
    ['linus@example.org', null, 'MENTEE', tokenHash(linus.invitation.token)]
  ], 'written as single invitations are: the token only as its hash')
  const preview = await call(app, 'GET', `/api/invitations/${ada.invitation.token}`)
  t.equal(preview.status, 200, 'the link works like a single invitation\'s')
  const accepted = await call(app, 'POST', `/api/invitations/${grace.invitation.token}`, { payload: { password: 'a long enough passphrase' } })
  t.equal(accepted.status, 201)
  t.match(accepted.body.user, { email: 'grace@example.org', role: 'MENTOR', organization_id: org })
})

t.test('each refusal in the words of a single invitation; only the valid rows are written', async (t) => {
  const { app, owner, manager, mentee, other } = await setup(t)
  // An invitation pending in the organization, and one in another organization (which does not count).
  await call(app, 'POST', '/api/invitations', { headers: manager.headers, payload: { email: 'pending@example.org' } })
  await call(app, 'POST', '/api/invitations', { headers: other.headers, payload: { email: 'elsewhere@example.org' } })
  const rows = [
    { email: 'new@example.org', name: 'New Person' },
    { email: mentee.user.email },
    { email: 'pending@example.org' },
    { email: 'NEW@example.org' },
    { email: 'not-an-address' },
    { email: 'boss@example.org', role: 'OWNER' },
    { email: 'king@example.org', role: 'KING' },
    { email: 'extra@example.org', team: 'blue' },
    { email: 'week@example.org', week: 0 },
    { name: 'Nobody' },
    { email: 'line@example.org', name: 'two\nlines' },
    { email: 'elsewhere@example.org', role: 'MENTOR', week: 2 }
  ]
  const before = snapshot(app)
  const res = await call(app, 'POST', IMPORT, { headers: manager.headers, payload: rows })
  t.equal(res.status, 200)
  const outcome = res.body.results.map((result: Row) => [result.row, result.status, result.error ?? null])
  t.same(outcome, [
    [1, 'created', null],
    [2, 'refused', 'A user with this email is already registered: sign in instead'],
    [3, 'refused', 'This email already has a pending invitation to the organization: remove it first to invite again'],
    [4, 'refused', 'Row 1 of the same file already invites this email'],
    [5, 'refused', 'email must match format "email"'],
    [6, 'refused', 'A MANAGER cannot invite an OWNER'],
    [7, 'refused', 'role must be one of OWNER, MANAGER, MENTOR, MENTEE, USER'],
    [8, 'refused', 'team is not allowed'],
    [9, 'refused', 'week must be >= 1'],
    [10, 'refused', 'email is required'],
    [11, 'refused', 'name must be one line without control characters'],
    [12, 'created', null]
  ])
  t.same(res.body.summary, { rows: 12, valid: 2, created: 2, refused: 10, emails_sent: 0 })
  const after = snapshot(app)
  t.same(after.users, before.users, 'nobody is created by an invitation')
  t.same((after.invitations as Row[]).slice(before.invitations.length).map((row) => row.email), ['new@example.org', 'elsewhere@example.org'])

  // The single invitation answers the same words for the same rows.
  for (const [index, payload] of [[1, rows[1]], [2, rows[2]], [5, rows[5]]] as const) {
    const single = await call(app, 'POST', '/api/invitations', { headers: manager.headers, payload })
    t.equal(single.body.error, res.body.results[index].error, `row ${index + 1} reads like POST /api/invitations`)
  }
  const single = await call(app, 'POST', '/api/invitations', { headers: manager.headers, payload: rows[6] })
  t.equal(single.body.error, `Invalid request: ${res.body.results[6].error}`)

  // The OWNER may invite an OWNER.
  const byOwner = await call(app, 'POST', IMPORT, { headers: owner.headers, payload: [rows[5]] })
  t.match(byOwner.body.results, [{ status: 'created', invitation: { role: 'OWNER' } }])
})

t.test('dry_run checks every row and writes nothing', async (t) => {
  const { app, manager, mentee } = await setup(t)
  const before = snapshot(app)
  const res = await call(app, 'POST', `${IMPORT}?dry_run=true`, {
    headers: csv(manager.headers),
    payload: `email,week\nfresh@example.org,4\n${mentee.user.email},\nfresh@example.org,\n`
  })
  t.equal(res.status, 200)
  t.same(res.body, {
    dry_run: true,
    summary: { rows: 3, valid: 1, created: 0, refused: 2, emails_sent: 0 },
    results: [
      { row: 1, email: 'fresh@example.org', status: 'valid', week: 4 },
      { row: 2, email: mentee.user.email, status: 'refused', error: 'A user with this email is already registered: sign in instead' },
      { row: 3, email: 'fresh@example.org', status: 'refused', error: 'Row 1 of the same file already invites this email' }
    ]
  })
  t.same(snapshot(app), before, 'nothing written')
})

t.test('a file that cannot be imported is refused whole, with its status, and nothing is written', async (t) => {
  const { app, manager, mentee, other, admin, org } = await setup(t)
  const before = snapshot(app)
  const cases: Array<[string, Parameters<typeof call>[3], number, string | RegExp]> = [
    ['an unclosed quote', { headers: csv(manager.headers), payload: 'email,name\n"a@example.org,Ada\n' }, 400,
      'The CSV file cannot be read: Quote Not Closed: the parsing is finished with an opening quote at line 2'],
    ['a row with too many cells', { headers: csv(manager.headers), payload: 'email\na@example.org,extra\n' }, 400,
      'The CSV file cannot be read: Invalid Record Length: columns length is 1, got 2 on line 2'],
    ['an unknown column', { headers: csv(manager.headers), payload: 'email,team,Cohort\na@example.org,blue,x\n' }, 400,
      'Unknown column "team", "cohort": the columns are email, name, role, week (email required), named in the header row'],
    ['no email column', { headers: csv(manager.headers), payload: 'name,role\nAda,MENTOR\n' }, 400,
      'The file has no email column: its header row names "name", "role"'],
    ['a column twice', { headers: csv(manager.headers), payload: 'email,name,Email\na@example.org,Ada,b@example.org\n' }, 400,
      'The column "email" appears twice in the header row'],
    ['an empty file', { headers: csv(manager.headers), payload: '' }, 400,
      'The file has no rows: it needs a header row (email,name,role,week) and one row per person'],
    ['a BOM and a header only', { headers: csv(manager.headers), payload: '\uFEFFemail,name\r\n\r\n' }, 400,
      'The file has no rows: it needs a header row (email,name,role,week) and one row per person'],
    ['an empty array', { headers: manager.headers, payload: [] }, 400, 'There are no rows to import'],
    ['an array of strings', { headers: manager.headers, payload: ['a@example.org'] }, 400, 'Invalid request: 0 must be object'],
    ['an object, not an array', { headers: manager.headers, payload: { email: 'a@example.org' } }, 400, 'Invalid request: value must be array'],
    ['too many rows', {
      headers: manager.headers, payload: Array.from({ length: MAX_IMPORT_ROWS + 1 }, (_, n) => ({ email: `p${n}@example.org` }))
    }, 400, 'Invalid request: value must NOT have more than 10000 items'],
    ['too many CSV rows', {
      headers: csv(manager.headers), payload: `email\n${Array.from({ length: MAX_IMPORT_ROWS + 1 }, (_, n) => `p${n}@example.org`).join('\n')}`
    }, 400, '10001 rows are more than one import takes (10000): split the file'],
    ['too large', { headers: csv(manager.headers), payload: `email,name\n${'a@example.org,Ada\n'.repeat(IMPORT_BODY_LIMIT / 17 + 1)}` }, 413,
      'Request body is too large'],
    ['text/plain', { headers: { ...manager.headers, 'content-type': 'text/plain' }, payload: 'email\na@example.org\n' }, 415, /./],
    ['application/xml', { headers: { ...manager.headers, 'content-type': 'application/xml' }, payload: '<email/>' }, 415, /./],
    ['a mentee', { headers: csv(mentee.headers), payload: 'email\na@example.org\n' }, 403, 'Not authorized'],
    ['no token', { headers: { 'content-type': 'text/csv' }, payload: 'email\na@example.org\n' }, 401, 'No token provided!'],
    ['another organization named by staff', { headers: csv(manager.headers), payload: 'email\na@example.org\n', query: { organization_id: String(other.organization.id) } },
      403, 'You can invite people only to your own organization'],
    ['the ADMINISTRATOR without an organization', { headers: csv(admin.headers), payload: 'email\na@example.org\n' }, 400,
      'organization_id is required: name the organization to invite to'],
    ['a bad dry_run', { headers: csv(manager.headers), payload: 'email\na@example.org\n', query: { dry_run: 'maybe' } }, 400, /dry_run must be boolean/]
  ]
  for (const [what, options, status, error] of cases) {
    for (const dryRun of [false, true]) {
      const query = { ...(dryRun ? { dry_run: 'true' } : {}), ...(options?.query as object) }
      const res = await call(app, 'POST', IMPORT, { ...options, query })
      t.equal(res.status, status, `${what}${dryRun ? ' (dry run)' : ''}: ${status}`)
      if (typeof error === 'string') t.equal(res.body.error, error, what)
      else t.match(res.body.error, error, what)
    }
  }
  t.same(snapshot(app), before, 'nothing written')

  const byAdmin = await call(app, 'POST', IMPORT, { headers: csv(admin.headers), payload: 'email\nroot-invite@example.org\n', query: { organization_id: String(org) } })
  t.match(byAdmin.body.results, [{ status: 'created', invitation: { organization_id: org, invited_by: admin.user.id } }], 'the ADMINISTRATOR names the organization')
})

t.test('text/csv is read by the import route only: elsewhere it stays 415', async (t) => {
  const { app, manager } = await setup(t)
  for (const url of ['/api/invitations', '/api/mentees', '/api/matches']) {
    const res = await call(app, 'POST', url, { headers: csv(manager.headers), payload: 'email\na@example.org\n' })
    t.equal(res.status, 415, url)
  }
  t.same(rowsOf(app, 'invitations'), [])
})

t.test('10,000 rows: checked and written in one transaction, in seconds', async (t) => {
  const { app, manager } = await setup(t)
  const file = `email,name,role,week\r\n${Array.from({ length: MAX_IMPORT_ROWS }, (_, n) => `person${n}@cohort.example.org,"Person ${n}, Jr.",MENTEE,${1 + (n % 12)}`).join('\r\n')}`

  // One transaction: a failure at the last row leaves none of the 9,999 before it.
  app.sqlite.exec(`CREATE TEMP TRIGGER refuse_last BEFORE INSERT ON invitations WHEN NEW.email = 'person${MAX_IMPORT_ROWS - 1}@cohort.example.org'
    BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`)
  const failed = await call(app, 'POST', IMPORT, { headers: csv(manager.headers), payload: file })
  t.equal(failed.status, 500)
  t.equal(rowsOf(app, 'invitations').length, 0, 'all or nothing')
  app.sqlite.exec('DROP TRIGGER refuse_last')

  const started = performance.now()
  const res = await call(app, 'POST', IMPORT, { headers: csv(manager.headers), payload: file })
  const seconds = (performance.now() - started) / 1000
  t.equal(res.status, 200)
  t.same(res.body.summary, { rows: MAX_IMPORT_ROWS, valid: MAX_IMPORT_ROWS, created: MAX_IMPORT_ROWS, refused: 0, emails_sent: 0 })
  t.equal(rowsOf(app, 'invitations').length, MAX_IMPORT_ROWS)
  t.comment(`10,000 rows imported in ${seconds.toFixed(2)} s`)
})

t.test('emails go out after the transaction, one per created row, none for a refused row or a dry run', async (t) => {
  const { app, owner, mentee } = await setup(t)
  const sent: Array<Mail & { committed: boolean }> = []
  // The same invitations, with a mailer that notes whether the invitation was already committed.
  const invitations = createInvitations({ db: app.db, tables: app.domain.tables, clock: systemClock }, {
    appUrl: undefined,
    lifetimeDays: 14,
    mailer: {
      async send (mail) {
        const visible = app.sqlite.prepare('SELECT count(*) AS n FROM invitations WHERE email = ?').get(mail.to) as { n: number }
        sent.push({ ...mail, committed: !app.sqlite.inTransaction && visible.n === 1 })
      }
    },
    gitHubSignIn: false,
    log: app.log,
    checkRow: app.bodyCheck(InvitationRow)
  })
  const caller = { user: owner.user as never, scope: scopeOf(owner.organization.id) }
  const rows = () => [{ email: 'one@example.org' }, { email: mentee.user.email }, { email: 'two@example.org', name: 'Two' }, { email: 'three@example.org' }]
  const dry = await invitations.import(caller, rows(), { dryRun: true }, 'http://localhost')
  t.equal(sent.length, 0, 'a dry run sends nothing')
  t.equal(dry.summary.valid, 3)
  const result = await invitations.import(caller, rows(), { dryRun: false }, 'http://localhost')
  t.same(sent.map((mail) => [mail.to, mail.committed]).sort(), [['one@example.org', true], ['three@example.org', true], ['two@example.org', true]])
  t.match(sent.find((mail) => mail.to === 'two@example.org')!.text, /^Hello Two,/)
  t.same(result.summary, { rows: 4, valid: 3, created: 3, refused: 1, emails_sent: 3 })
  t.same(result.results.map((row) => row.status), ['created', 'refused', 'created', 'created'], 'in the order of the rows')
})

/** An email address as people type them: mixed case, dots, plus and dashes. */
const address = fc.tuple(fc.stringMatching(/^[A-Za-z0-9]([A-Za-z0-9._+-]{0,14}[A-Za-z0-9])?$/), fc.constantFrom('example.org', 'Cohort.Example.com'))
  .filter(([local]) => !local.includes('..'))
  .map(([local, domain]) => `${local}@${domain}`)
/** A name with what CSV must quote (commas, quotes, semicolons) and letters beyond ASCII; one line, trimmed. */
const name = fc.stringMatching(/^[A-Za-zÀ-ÿ ,"';.-]{0,40}$/).map((text) => text.trim())
const role = fc.constantFrom('MENTEE', 'MENTOR', 'USER', 'MANAGER', 'OWNER', undefined)
const week = fc.option(fc.integer({ min: 1, max: 1000 }), { nil: undefined })
const rows = fc.uniqueArray(fc.record({ email: address, name, role, week }), {
  minLength: 1, maxLength: 12, selector: (row) => row.email.toLowerCase()
})
const columnOrder = fc.shuffledSubarray(['name', 'role', 'week'] as const).map((others) => ['email', ...others])
const lineEnd = fc.constantFrom('\n', '\r\n')

t.test('property: any valid rows, written as CSV in any column order with a BOM or not, CRLF or LF, read back the same', async (t) => {
  fc.assert(fc.property(rows, columnOrder, lineEnd, fc.boolean(), (people, columns, end, bom) => {
    const text = (bom ? '\uFEFF' : '') + stringify(people, { header: true, columns, record_delimiter: end === '\n' ? 'unix' : 'windows' })
    const read = readInvitationFile(text)
    const expected = people.map((person) => Object.fromEntries(columns
      .map((column) => [column, person[column as keyof typeof person]])
      .filter(([, value]) => value !== undefined && value !== '')))
    t.same(read, expected)
  }), { numRuns: 300 })
})

t.test('property: the same rows through POST /api/invitations/import become the same invitations', async (t) => {
  const app = await buildApp(t)
  await fc.assert(fc.asyncProperty(rows, columnOrder, lineEnd, async (people, columns, end) => {
    const { organization, headers } = await registerOrganization(app)
    const payload = '\uFEFF' + stringify(people, { header: true, columns, record_delimiter: end === '\n' ? 'unix' : 'windows', quoted: true })
    const res = await call(app, 'POST', IMPORT, { headers: csv(headers), payload })
    if (res.status !== 200) throw new Error(JSON.stringify(res.body))
    const stored = (rowsOf(app, 'invitations') as Row[]).filter((row) => row.organization_id === organization.id)
    const expected = people.map((person) => [
      person.email.toLowerCase(),
      columns.includes('name') && person.name !== '' ? person.name : null,
      (columns.includes('role') && person.role) || 'MENTEE'
    ])
    t.same(stored.map((row) => [row.email, row.name, row.role]), expected)
    t.same(res.body.results.map((result: Row) => result.week), people.map((person) => columns.includes('week') ? person.week : undefined))
  }), { numRuns: 25 })
})
