import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { DOCS_PREFIX } from '../../plugins/docs'
import { run, ROOT, temporaryFolder } from '../cli/process'
import { buildApp } from '../helper'

// Third-party tools read the document as a client's tooling would, offline: Redocly's linter with its
// recommended rules, and openapi-typescript generating the types of a client. The types are generated
// afresh on every run rather than committed: the document follows the routes, which change often, and
// a committed copy would only test that someone remembered to regenerate it.

t.setTimeout(120_000)

const bin = (name: string) => join(ROOT, 'node_modules', '.bin', name)
const OFFLINE = { REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' }

async function documentIn (t: Test, folder: string): Promise<string> {
  const app = await buildApp(t)
  const document = await app.inject({ url: `${DOCS_PREFIX}/json` })
  const file = join(folder, 'openapi.json')
  writeFileSync(file, document.body)
  return file
}

t.test('redocly lint, recommended rules: no error', async (t) => {
  const folder = temporaryFolder(t, 'redocly')
  const file = await documentIn(t, folder)
  const lint = await run([bin('redocly')], ['lint', file, '--extends=recommended', '--format=json'], { cwd: folder, env: OFFLINE })
  const report = JSON.parse(lint.stdout.slice(lint.stdout.indexOf('{'))) as { totals: { errors: number, warnings: number }, problems: Array<{ ruleId: string, severity: string, message: string }> }
  t.same(report.problems.filter((problem) => problem.severity === 'error'), [], 'no error')
  t.equal(lint.code, 0, lint.stderr)
  // The only warnings left: the redirects (GET /, the two GitHub starts) answer 302, not a 2xx.
  t.same([...new Set(report.problems.map((problem) => problem.ruleId))], report.totals.warnings ? ['operation-2xx-response'] : [])
  t.ok(report.totals.warnings <= 3, `${report.totals.warnings} warnings`)
})

t.test('a client typed by openapi-typescript from the document type-checks against real calls, and refuses wrong ones', async (t) => {
  const folder = temporaryFolder(t, 'openapi-typescript')
  const file = await documentIn(t, folder)
  const generated = await run([bin('openapi-typescript')], [file, '--output', join(folder, 'api.d.ts')], { cwd: folder })
  t.equal(generated.code, 0, generated.stderr)

  writeFileSync(join(folder, 'client.ts'), `
import type { operations, paths } from './api'

/** A typed call by operationId, as a generated client makes it. */
type Body<O extends keyof operations> = operations[O] extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never
type Answer<O extends keyof operations, S extends keyof operations[O]['responses']> =
  operations[O]['responses'][S] extends { content: { 'application/json': infer A } } ? A : never
declare function call<O extends keyof operations> (operation: O, body: Body<O>): Promise<Answer<O, keyof operations[O]['responses']>>

export async function walkThrough (): Promise<string> {
  const registered = await call('register', { organization_name: 'Lambda Mentors', email: 'grace@example.com', password: 'correct horse battery' })
  const token: string = 'token' in registered ? registered.token : registered.error
  await call('createMeeting', { match_id: 1, meeting_date: '2026-12-08T15:00:00Z', location: 'Video call', rating: null })
  await call('applyMatchAssignments', { pairs: [{ mentee_id: 7, mentor_id: 3 }] })
  // @ts-expect-error a body field the API does not take
  await call('login', { email: 'grace@example.com', password: 'x', remember: true })
  // @ts-expect-error a meeting needs its match
  await call('createMeeting', { meeting_date: '2026-12-08T15:00:00Z', location: 'Video call' })
  return token
}

type Meeting = paths['/api/meetings/{id}']['get']['responses'][200]['content']['application/json']
export const rating = (meeting: Meeting): number | null => meeting.rating
type MeetingList = operations['listMeetings']['parameters']['query']
export const page: MeetingList = { limit: 20, offset: 40, match_id: 3 }
// @ts-expect-error lists page with limit and offset, not page
export const wrongPage: MeetingList = { page: 2 }
type Missing = operations['getMeeting']['responses'][404]['content']['application/json']
export const why = (answer: Missing): string => answer.error
`)
  const checked = await run([process.execPath, join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc')],
    ['--noEmit', '--strict', '--target', 'es2022', '--module', 'nodenext', '--skipLibCheck', 'client.ts'], { cwd: folder })
  t.equal(checked.code, 0, checked.stdout + checked.stderr)
})
