import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { parse } from 'csv-parse/sync'
import t from 'tap'
import { PASSWORD } from '../helper'
import { run, SOURCE, temporaryFolder } from './process'

// Each command is a real process here (about a second or two each on a busy machine).
t.setTimeout(180_000)

type Row = Record<string, unknown>

t.test('import-invitations and export, as a person runs them', async (t) => {
  const cwd = temporaryFolder(t, 'cohorts')
  const database = join(cwd, 'data', 'mentormatchr.db')
  const env = { DATABASE_PATH: database }
  const seeded = await run(SOURCE, ['seed-demo', '--password', PASSWORD], { cwd, env })
  t.equal(seeded.code, 0, seeded.stderr)
  const organization = /\(id (\d+)\)/.exec(seeded.stdout)![1]!
  const other = await run(SOURCE, ['seed-demo', '--seed', '2', '--password', PASSWORD], { cwd, env })
  const otherOrganization = /\(id (\d+)\)/.exec(other.stdout)![1]!
  const sqlite = new Database(database, { readonly: true })
  t.teardown(() => sqlite.close())
  const taken = (sqlite.prepare('SELECT email FROM users WHERE organization_id = ? LIMIT 1').get(organization) as { email: string }).email
  const invitations = () => sqlite.prepare('SELECT email, name, role, organization_id FROM invitations ORDER BY id').all()

  const file = join(cwd, 'cohort.csv')
  writeFileSync(file, `\uFEFFname,email,role,week\r\n"Lovelace, Ada",ada@example.org,MENTEE,3\r\nTaken,${taken},MENTOR,\r\nNo Address,not-an-address,,\r\n`)

  const dry = await run(SOURCE, ['import-invitations', file, '--organization', organization, '--dry-run'], { cwd, env })
  t.equal(dry.code, 1, 'a refused row: exit code 1')
  t.match(dry.stdout, `Database: ${database}\n`)
  t.match(dry.stdout, `Row 2 ${taken}: refused: A user with this email is already registered: sign in instead\n`)
  t.match(dry.stdout, 'Row 3 not-an-address: refused: email must match format "email"\n')
  t.match(dry.stdout, /Dry run for .*: 1 of 3 rows would be invited, 2 refused; nothing was written\.\n$/)
  t.same(invitations(), [], 'a dry run writes nothing')

  const imported = await run(SOURCE, ['import-invitations', file, '--organization', organization], { cwd, env })
  t.equal(imported.code, 1)
  t.match(imported.stdout, /Row 1 ada@example\.org: invited as MENTEE: http:\/\/127\.0\.0\.1:5000\/invitations\/[A-Za-z0-9_-]{43}\n/)
  t.match(imported.stdout, /Invited 1 of 3 people to .* as .*; 2 refused; 0 emails sent\.\n$/)
  t.same(invitations(), [{ email: 'ada@example.org', name: 'Lovelace, Ada', role: 'MENTEE', organization_id: Number(organization) }])

  writeFileSync(file, 'email\r\ngrace@example.org\r\n')
  const clean = await run(SOURCE, ['import-invitations', file, '--organization', organization], { cwd, env })
  t.equal(clean.code, 0, 'every row invited: exit code 0')

  const [csv, json, toFile] = await Promise.all([
    run(SOURCE, ['export', 'people', '--format', 'csv', '--organization', organization], { cwd, env }),
    run(SOURCE, ['export', 'matches', '--format', 'json', '--organization', otherOrganization], { cwd, env }),
    run(SOURCE, ['export', 'profiles', '--format', 'csv', '--output', join(cwd, 'profiles.csv')], { cwd, env })
  ])
  t.equal(csv.code, 0, csv.stderr)
  t.equal(csv.stderr, `Database: ${database}\n`, 'standard output carries the data only')
  const people = parse(csv.stdout, { columns: true }) as Row[]
  t.same(people.map((person) => person.email), (sqlite.prepare('SELECT email FROM users WHERE organization_id = ? ORDER BY id').all(organization) as Row[]).map((user) => user.email))
  t.notMatch(csv.stdout, /password|scrypt/)
  t.equal(json.code, 0)
  const matches = JSON.parse(json.stdout) as Row[]
  t.ok(matches.length > 0 && matches.every((match) => String(match.organization_id) === otherOrganization), 'only the organization named')
  t.equal(toFile.code, 0)
  const profiles = parse(readFileSync(join(cwd, 'profiles.csv')), { columns: true }) as Row[]
  t.same(new Set(profiles.map((profile) => profile.organization_id)), new Set([organization, otherOrganization]), 'without --organization: every organization')
  t.match(toFile.stderr, `Exported ${profiles.length} profiles rows to ${join(cwd, 'profiles.csv')}.\n`)
})

t.test('mistakes: exit code 2 with the command\'s own message, 1 for what cannot be done', async (t) => {
  const cwd = temporaryFolder(t, 'cohorts')
  const env = { DATABASE_PATH: join(cwd, 'mentormatchr.db') }
  writeFileSync(join(cwd, 'bad.csv'), 'email,team\na@example.org,blue\n')
  const cases: Array<[string[], number, RegExp]> = [
    [['import-invitations', 'bad.csv'], 2, /^import-invitations needs the file and the organization: mentormatchr import-invitations <file.csv> --organization <id>\n\nUsage: mentormatchr import-invitations /],
    [['import-invitations', '--organization', '1'], 2, /^import-invitations needs the file and the organization/],
    [['import-invitations', 'bad.csv', '--organization', 'one'], 2, /^import-invitations: --organization takes an organization id \(a positive whole number\), not "one"\n/],
    [['import-invitations', 'bad.csv', '--organization', '1', '--format', 'csv'], 2, /^import-invitations does not take --format\n/],
    [['export'], 2, /^export needs what to export: mentormatchr export <people\|profiles\|matches\|meetings> --format <csv\|json>\n/],
    [['export', 'invitations', '--format', 'csv'], 2, /^export needs what to export/],
    [['export', 'people'], 2, /^export needs --format csv or json\n/],
    [['export', 'people', '--format', 'xml'], 2, /^export needs --format csv or json\n/],
    [['export', 'people', '--format', 'csv', '--dry-run'], 2, /^export does not take --dry-run\n/],
    [['import-invitations', 'missing.csv', '--organization', '1'], 1, /^Cannot read .*missing\.csv: ENOENT\n$/],
    [['import-invitations', 'bad.csv', '--organization', '1'], 1, /^There is no organization 1/],
    [['export', 'people', '--format', 'csv', '--organization', '7'], 1, /^Database: .*\nThere is no organization 7\n$/]
  ]
  const results = await Promise.all(cases.map(([args]) => run(SOURCE, args, { cwd, env })))
  cases.forEach(([args, code, message], index) => {
    t.equal(results[index]!.code, code, args.join(' '))
    t.match(results[index]!.stderr, message, args.join(' '))
  })
})
