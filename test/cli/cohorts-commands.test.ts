import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import t from 'tap'
import { exportChoice, exportRecords, importInvitations, organizationOption, progressLine } from '../../commands/cohorts'
import { CommandError, UsageError } from '../../commands/errors'
import { organization } from '../fixtures'
import { buildApp, rowsOf } from '../helper'
import { temporaryFolder } from './process'

// Three apps and files on disk: more than tap's 30 seconds on a busy machine.
t.setTimeout(120_000)

t.test('importInvitations: the file, the organization\'s first OWNER, the domain\'s checks', async (t) => {
  const folder = temporaryFolder(t, 'cohorts')
  const app = await buildApp(t, { APP_URL: 'https://app.example.org' })
  const { orgId, owner } = await organization(app)
  const file = join(folder, 'cohort.csv')
  writeFileSync(file, 'email,role\nada@example.org,MENTOR\nada@example.org,MENTEE\n')

  const dry = await importInvitations(app, file, orgId, true)
  t.same(dry.summary, { rows: 2, valid: 1, created: 0, refused: 1, emails_sent: 0 })
  t.same(rowsOf(app, 'invitations'), [])
  const done = await importInvitations(app, file, orgId, false)
  t.equal(done.owner.id, owner.user.id, 'in the name of the first OWNER')
  t.match(done.results, [{ status: 'created', invitation: { role: 'MENTOR', invited_by: owner.user.id, accept_url: /^https:\/\/app\.example\.org\/invitations\// } }, { status: 'refused' }])

  await t.rejects(importInvitations(app, join(folder, 'missing.csv'), orgId, false), new CommandError(`Cannot read ${join(folder, 'missing.csv')}: ENOENT`))
  await t.rejects(importInvitations(app, file, 999, false), { message: /^There is no organization 999/ })
  writeFileSync(file, 'name\nAda\n')
  await t.rejects(importInvitations(app, file, orgId, false), new CommandError('The file has no email column: its header row names "name"'))
  app.sqlite.prepare("UPDATE users SET role = 'MANAGER' WHERE id = ?").run(owner.user.id)
  await t.rejects(importInvitations(app, file, orgId, false), { message: /has no OWNER/ })
})

t.test('exportRecords: to a file, one organization or all', async (t) => {
  const folder = temporaryFolder(t, 'cohorts')
  const app = await buildApp(t)
  const home = await organization(app)
  const away = await organization(app)
  const output = join(folder, 'people.csv')
  const one = await exportRecords(app, 'people', 'csv', home.orgId, output)
  t.same(one, { rows: 3, file: output })
  t.same((parse(readFileSync(output), { columns: true }) as Array<{ email: string }>).map((row) => row.email),
    [home.owner.user.email, home.manager.user.email, home.user.user.email])
  const all = await exportRecords(app, 'people', 'json', undefined, output)
  t.equal(all.rows, 6)
  t.same(JSON.parse(readFileSync(output, 'utf8')).map((row: { organization_id: number }) => row.organization_id), [home.orgId, home.orgId, home.orgId, away.orgId, away.orgId, away.orgId])
  await t.rejects(exportRecords(app, 'people', 'csv', 999, output), new CommandError('There is no organization 999'))
  await t.rejects(exportRecords(app, 'people', 'csv', home.orgId, join(folder, 'no-such-folder', 'x.csv')), { code: 'ENOENT' })
})

t.test('the options, checked', async (t) => {
  t.equal(organizationOption(undefined, 'export'), undefined)
  t.equal(organizationOption('12', 'export'), 12)
  for (const bad of ['0', '-1', '1.5', 'x']) {
    t.throws(() => organizationOption(bad, 'export'), new UsageError(`export: --organization takes an organization id (a positive whole number), not "${bad}"`))
  }
  t.same(exportChoice('meetings', 'json'), { what: 'meetings', format: 'json' })
  t.throws(() => exportChoice('secrets', 'csv'), new UsageError('export needs what to export: mentormatchr export <people|profiles|matches|meetings> --format <csv|json>'))
  t.throws(() => exportChoice('people', undefined), new UsageError('export needs --format csv or json'))
})

t.test('the progress line: rewritten in place on a terminal, elsewhere only for long runs', async (t) => {
  const written: string[] = []
  const terminal = { isTTY: true, write: (text: string) => written.push(text) } as unknown as NodeJS.WriteStream
  const onTerminal = progressLine(terminal)
  onTerminal.update('Exported 1000 rows…')
  onTerminal.update('Exported 2000 rows…')
  onTerminal.done()
  t.same(written, ['\rExported 1000 rows…', '\rExported 2000 rows…', '\n'])

  written.length = 0
  const piped = { isTTY: false, write: (text: string) => written.push(text) } as unknown as NodeJS.WriteStream
  const short = progressLine(piped, 60_000)
  short.update('Exported 1000 rows…')
  short.done()
  t.same(written, [], 'a short run off a terminal says nothing')
  const long = progressLine(piped, 0)
  long.update('Exported 1000 rows…')
  long.done()
  t.same(written, ['Exported 1000 rows…\n'], 'a long one, one line per step')
})
