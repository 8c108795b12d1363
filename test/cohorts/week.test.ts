import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { importInvitations } from '../../commands/cohorts'
import type { User } from '../../domain/caller'
import { buildApp, call, createUser, PASSWORD, registerOrganization, rowsOf } from '../helper'
import { temporaryFolder } from '../cli/process'
import { browserOf } from '../web/session'

type Row = Record<string, unknown>
const IMPORT = '/api/invitations/import'

async function setup (t: Parameters<typeof buildApp>[0]) {
  const app = await buildApp(t)
  const owner = await registerOrganization(app)
  const manager = await createUser(app, owner.organization.id, 'MANAGER')
  return { app, owner, manager, organizationId: owner.organization.id }
}

const weeks = (app: Awaited<ReturnType<typeof setup>>['app']) =>
  (rowsOf(app, 'invitations') as Row[]).map((row) => [row.email, row.lambda_week])

t.test('an import keeps each row\'s week as the invitation\'s lambda_week: CSV, JSON, and the CLI', async (t) => {
  const { app, manager, organizationId } = await setup(t)
  const fromCsv = await call(app, 'POST', IMPORT, {
    headers: { ...manager.headers, 'content-type': 'text/csv' },
    payload: 'email,week\r\nada@example.org,3\r\ngrace@example.org,\r\n'
  })
  t.equal(fromCsv.status, 200)
  t.match(fromCsv.body.results, [
    { email: 'ada@example.org', week: 3, invitation: { lambda_week: 3 } },
    { email: 'grace@example.org', invitation: { lambda_week: null } }
  ], 'the record shows the week, null when none')
  const fromJson = await call(app, 'POST', IMPORT, { headers: manager.headers, payload: [{ email: 'linus@example.org', week: 1000 }, { email: 'ken@example.org' }] })
  t.equal(fromJson.status, 200)
  t.match(fromJson.body.results, [{ invitation: { lambda_week: 1000 } }, { invitation: { lambda_week: null } }])

  const file = join(temporaryFolder(t, 'week'), 'cohort.csv')
  writeFileSync(file, 'week,email\n12,barbara@example.org\n')
  const fromCli = await importInvitations(app, file, organizationId, false)
  t.match(fromCli.results, [{ status: 'created', invitation: { lambda_week: 12 } }])

  t.same(weeks(app), [['ada@example.org', 3], ['grace@example.org', null], ['linus@example.org', 1000], ['ken@example.org', null], ['barbara@example.org', 12]])
  const listed = await call(app, 'GET', '/api/invitations', { headers: manager.headers })
  t.same(listed.body.map((invitation: Row) => [invitation.email, invitation.lambda_week]), weeks(app).reverse(), 'the list shows it too')
})

t.test('a dry run stores nothing; a bad week is refused with nothing written', async (t) => {
  const { app, manager } = await setup(t)
  const dry = await call(app, 'POST', `${IMPORT}?dry_run=true`, { headers: manager.headers, payload: [{ email: 'ada@example.org', week: 3 }] })
  t.match(dry.body, { dry_run: true, results: [{ status: 'valid', week: 3 }] })
  t.same(rowsOf(app, 'invitations'), [], 'a dry run writes nothing')

  const bad = await call(app, 'POST', IMPORT, {
    headers: { ...manager.headers, 'content-type': 'text/csv' },
    payload: 'email,week\na@example.org,0\nb@example.org,1001\nc@example.org,three\nd@example.org,2.5\n'
  })
  t.equal(bad.status, 200)
  t.same(bad.body.results.map((row: Row) => [row.status, row.error]), [
    ['refused', 'week must be >= 1'],
    ['refused', 'week must be <= 1000'],
    ['refused', 'week must be integer'],
    ['refused', 'week must be integer']
  ])
  t.same(rowsOf(app, 'invitations'), [], 'nothing written')

  for (const lambda_week of [0, 1001, 2.5, '3']) {
    const single = await call(app, 'POST', '/api/invitations', { headers: manager.headers, payload: { email: 'e@example.org', lambda_week } })
    t.equal(single.status, 400, `lambda_week ${JSON.stringify(lambda_week)}`)
    t.match(single.body.error, /lambda_week/)
  }
  t.same(rowsOf(app, 'invitations'), [], 'nothing written')
})

t.test('POST /api/invitations takes lambda_week (optional, null or 1 to 1000) and the record shows it', async (t) => {
  const { app, manager } = await setup(t)
  const cases: Array<[Row, number | null]> = [
    [{ email: 'one@example.org', lambda_week: 4 }, 4],
    [{ email: 'two@example.org', lambda_week: null }, null],
    [{ email: 'three@example.org' }, null]
  ]
  for (const [payload, stored] of cases) {
    const created = await call(app, 'POST', '/api/invitations', { headers: manager.headers, payload })
    t.equal(created.status, 201)
    t.equal(created.body.lambda_week, stored, JSON.stringify(payload))
  }
  t.same(weeks(app), cases.map(([payload, stored]) => [payload.email, stored]))
  const resent = await call(app, 'POST', `/api/invitations/${rowsOf(app, 'invitations').length - 2}/resend`, { headers: manager.headers })
  t.equal(resent.body.lambda_week, 4, 'a resent invitation keeps its week')
})

t.test('the invited mentee\'s first profile form starts from the invitation\'s week', async (t) => {
  const { app, manager, organizationId } = await setup(t)
  const invited = await call(app, 'POST', IMPORT, { headers: manager.headers, payload: [{ email: 'ada@example.org', week: 7 }, { email: 'grace@example.org' }] })
  const acceptedBy = async (index: number) => {
    const accepted = await call(app, 'POST', `/api/invitations/${invited.body.results[index].invitation.token}`, { payload: { password: PASSWORD } })
    t.equal(accepted.status, 201)
    return browserOf(app, accepted.body.user as User)
  }
  const weekField = (page: string) => /<input id="field-lambda_week"[^>]*>/.exec(page)?.[0]

  const ada = await acceptedBy(0)
  t.match(weekField((await ada.get('/me/profile')).body), 'value="7"', 'prefilled from the invitation')
  const typed = await ada.post('/me/profile', { kind: 'mentee', lambda_week: '', interests: 'rust' })
  t.notMatch(weekField(typed.body), 'value="7"', 'what the person typed (even nothing) wins over the invitation')
  t.equal((await ada.post('/me/profile', { kind: 'mentee', lambda_week: '8' })).statusCode, 303)
  t.match(weekField((await ada.get('/me/profile')).body), 'value="8"', 'once the profile exists, its own week')

  const grace = await acceptedBy(1)
  t.notMatch(weekField((await grace.get('/me/profile')).body), 'value=', 'no week on the invitation: an empty field')
  const uninvited = browserOf(app, (await createUser(app, organizationId, 'MENTEE')).user)
  t.notMatch(weekField((await uninvited.get('/me/profile')).body), 'value=', 'not invited: an empty field')
})
