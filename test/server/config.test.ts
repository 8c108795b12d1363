import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { ConfigurationError, loadConfig } from '../../plugins/config'

const inMemory = { DATABASE_PATH: ':memory:' }

t.test('settings arrive as text: numbers are read as numbers, and what is not given takes its default', async (t) => {
  const config = loadConfig({ ...inMemory, PORT: '8080', AUTH_RATE_LIMIT: '3', JOBS_INTERVAL_MINUTES: '0.5' })
  t.equal(config.PORT, 8080)
  t.equal(config.AUTH_RATE_LIMIT, 3)
  t.equal(config.JOBS_INTERVAL_MINUTES, 0.5)
  t.equal(config.HOST, '127.0.0.1')
  t.equal(config.INVITATION_TTL_DAYS, 14)
  t.equal(config.LOG_FORMAT, undefined, 'an optional setting without a default stays unset')
})

t.test('the environment is read, the overrides win over it, and only settings are kept', async (t) => {
  t.teardown(() => {
    delete process.env.MAIL_FROM
    delete process.env.MENTORMATCHR_UNRELATED
  })
  process.env.MAIL_FROM = 'Program <program@example.com>'
  process.env.MENTORMATCHR_UNRELATED = 'kept out'
  t.equal(loadConfig(inMemory).MAIL_FROM, 'Program <program@example.com>')
  t.equal(loadConfig({ ...inMemory, MAIL_FROM: 'Override <o@example.com>' }).MAIL_FROM, 'Override <o@example.com>')
  const config = loadConfig(inMemory) as Record<string, unknown>
  t.notOk('MENTORMATCHR_UNRELATED' in config, 'a variable the schema does not name is dropped')
  t.notOk('PATH' in config)
  t.equal(process.env.MENTORMATCHR_UNRELATED, 'kept out', 'the environment itself is left as it was')
})

t.test('every setting that cannot work is named in one message, with the value given', async (t) => {
  t.throws(() => loadConfig({ ...inMemory, PORT: '70000', LOG_LEVEL: 'loud', JWT_SECRET: 'short' }), new ConfigurationError(
    'PORT=70000 is not valid: set PORT to a port number such as 5000; ' +
    'LOG_LEVEL=loud is not valid: set LOG_LEVEL to one of fatal, error, warn, info, debug, trace, silent; ' +
    'JWT_SECRET (5 characters) is not valid: set JWT_SECRET to at least 32 characters, or unset to have one generated'),
  'a secret is not repeated in the message, which may end up in a log')
  t.throws(() => loadConfig({ ...inMemory, INVITATION_TTL_DAYS: '1.5' }),
    { message: 'INVITATION_TTL_DAYS=1.5 is not valid: set INVITATION_TTL_DAYS to a whole number of days, 1 or more' })
  t.throws(() => loadConfig({ ...inMemory, APP_URL: 'https://a.example', PORT: '' }),
    { message: 'PORT= is not valid: set PORT to a port number such as 5000' }, 'an empty number is not 0')
  for (const port of ['0x1388', '5e3', '5000 ', '+5000', 'true']) {
    t.throws(() => loadConfig({ ...inMemory, PORT: port }), { message: `PORT=${port} is not valid: set PORT to a port number such as 5000` },
      `${port} is not read as a number`)
  }
})

t.test('a configuration that cannot work writes nothing: no folder, no generated secret', async (t) => {
  const folder = mkdtempSync(join(tmpdir(), 'mentormatchr-config-'))
  t.teardown(() => rmSync(folder, { recursive: true, force: true }))
  const databasePath = join(folder, 'data', 'mentormatchr.db')
  t.throws(() => loadConfig({ DATABASE_PATH: databasePath, PORT: 'abc' }), { message: /^PORT=abc is not valid/ })
  t.notOk(existsSync(join(folder, 'data')), 'the database folder was not made')
  t.same(readdirSync(folder), [])
  t.ok(loadConfig({ DATABASE_PATH: databasePath }).JWT_SECRET.length >= 32, 'a configuration that works keeps its secret beside the database')
  t.same(readdirSync(join(folder, 'data')), ['jwt-secret'])
})
