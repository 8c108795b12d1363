import { randomBytes } from 'node:crypto'
import { linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { type Static, Type } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'
import type { FastifyServerOptions } from 'fastify'
import fp from 'fastify-plugin'
import { makeFolders } from '../db/folders'

/** Every setting, its default and what it takes; .env.example lists the same (test/deploy.test.ts). */
export const ConfigSchema = Type.Object({
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 5000, description: 'a port number such as 5000' }),
  HOST: Type.String({ default: '127.0.0.1' }),
  DATABASE_PATH: Type.String({ default: 'data/mentormatchr.db' }),
  LOG_LEVEL: Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((level) => Type.Literal(level)), {
    default: 'info', description: 'one of fatal, error, warn, info, debug, trace, silent'
  }),
  LOG_FORMAT: Type.Optional(Type.Union(['json', 'pretty'].map((format) => Type.Literal(format)), {
    description: 'json (lines for machines) or pretty (lines for people), or unset for pretty on a terminal and json otherwise'
  })),
  TRUST_PROXY: Type.String({ default: '' }),
  JWT_SECRET: Type.Optional(Type.String({ minLength: 32, description: 'at least 32 characters, or unset to have one generated' })),
  JWT_EXPIRES_IN: Type.String({ pattern: '^[0-9]+ ?(ms|s|m|h|d|w|y)$', default: '1d', description: 'a duration such as 15m, 12h or 7d' }),
  APP_URL: Type.Optional(Type.String()),
  CORS_ORIGINS: Type.String({ default: '' }),
  GITHUB_CLIENT_ID: Type.Optional(Type.String()),
  GITHUB_CLIENT_SECRET: Type.Optional(Type.String()),
  GITHUB_CALLBACK_URL: Type.Optional(Type.String()),
  GITHUB_URL: Type.String({ default: 'https://github.com' }),
  GITHUB_API_URL: Type.String({ default: 'https://api.github.com' }),
  SMTP_URL: Type.Optional(Type.String()),
  MAIL_FROM: Type.String({ default: 'MentorMatchr <no-reply@localhost>' }),
  INVITATION_TTL_DAYS: Type.Integer({ minimum: 1, default: 14, description: 'a whole number of days, 1 or more' }),
  AUTH_RATE_LIMIT: Type.Integer({ minimum: 1, default: 10, description: 'a whole number of attempts, 1 or more' }),
  AUTH_RATE_WINDOW: Type.String({ default: '1 minute' }),
  JOBS_INTERVAL_MINUTES: Type.Number({ minimum: 0, default: 5, description: 'a number of minutes between runs of the scheduled jobs, or 0 to run none' })
}, { additionalProperties: false })

export type Config = Static<typeof ConfigSchema> & { JWT_SECRET: string }

/** Values that win over the environment (the tests and the CLI set them). */
export type ConfigOverrides = Partial<Record<keyof Config, string | number>>

declare module 'fastify' {
  interface FastifyInstance {
    config: Config
  }
}

const IN_MEMORY = ':memory:'

/**
 * Without JWT_SECRET, tokens are signed with a secret generated on first start and kept beside
 * the database, so that signed-in users stay signed in across restarts.
 */
function persistentSecret (databasePath: string): string {
  if (databasePath === IN_MEMORY) return randomBytes(48).toString('base64url')
  const file = join(dirname(databasePath), 'jwt-secret')
  try {
    return readFileSync(file, 'utf8').trim()
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  makeFolders(dirname(file))
  // Written whole under a private name, then linked into place: link() fails if the file exists,
  // so of several processes starting at once exactly one secret wins and nobody reads a partial file.
  const draft = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`
  writeFileSync(draft, randomBytes(48).toString('base64url') + '\n', { mode: 0o600 })
  try {
    linkSync(draft, file)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
  } finally {
    unlinkSync(draft)
  }
  return readFileSync(file, 'utf8').trim()
}

/** A setting that cannot work, said in one line with what to set instead. */
export class ConfigurationError extends Error {}

/** Settings whose values an error message must not repeat: the message may end up in a log. */
const SECRET_SETTINGS = new Set(['JWT_SECRET', 'GITHUB_CLIENT_SECRET', 'SMTP_URL'])

/** "PORT=abc is not valid: set PORT to a port number such as 5000", from the schema's own words. */
function mistakeOf (problems: Iterable<{ path: string, message: string }>, given: Record<string, unknown>): ConfigurationError {
  const sentences = [...problems].map(({ path, message }) => {
    const name = path.slice(1) as keyof typeof ConfigSchema.properties
    const wanted = ConfigSchema.properties[name]?.description ?? message
    const value = String(given[name])
    const setting = SECRET_SETTINGS.has(name) ? `${name} (${value.length} characters)` : `${name}=${value}`
    return `${setting} is not valid: set ${name} to ${wanted}`
  })
  return new ConfigurationError([...new Set(sentences)].join('; '))
}

const DECIMAL = /^-?\d+(\.\d+)?$/

/** The environment is text: a setting that takes a number gets the number its text writes, and only that. */
function withNumbers (settings: Record<string, unknown>): Record<string, unknown> {
  for (const [name, schema] of Object.entries(ConfigSchema.properties)) {
    const value = settings[name]
    if ((schema.type === 'integer' || schema.type === 'number') && typeof value === 'string' && DECIMAL.test(value)) settings[name] = Number(value)
  }
  return settings
}

/**
 * The whole configuration, read in one place: the environment (server.ts has already added a
 * `.env` file's variables to it, once) and the overrides, checked against the schema above.
 * Variables the schema does not name are dropped. TypeBox checks it by walking the schema: a
 * compiled validator cost every start 20 ms, for one check.
 */
export function loadConfig (overrides: ConfigOverrides = {}): Config {
  const parsed = Value.Default(ConfigSchema, withNumbers(Value.Clean(ConfigSchema, { ...process.env, ...overrides }) as Record<string, unknown>))
  if (!Value.Check(ConfigSchema, parsed)) throw mistakeOf(Value.Errors(ConfigSchema, parsed), { ...process.env, ...overrides })
  if (parsed.JWT_SECRET) return { ...parsed, JWT_SECRET: parsed.JWT_SECRET }
  try {
    return { ...parsed, JWT_SECRET: persistentSecret(parsed.DATABASE_PATH) }
  } catch (error) {
    throw new ConfigurationError(`Cannot keep the token signing secret beside the database ${resolve(parsed.DATABASE_PATH)}: ` +
      `${(error as Error).message}. Set DATABASE_PATH to a file in a folder this user can write`)
  }
}

/**
 * `TRUST_PROXY`: `true` trusts every proxy, a number that many hops, anything else a comma-separated
 * list of addresses and CIDR ranges (`127.0.0.1,10.0.0.0/8`). Unset: the client is the one connected.
 */
export function trustProxy (setting: string): FastifyServerOptions['trustProxy'] {
  const value = setting.trim()
  if (value === '' || value === 'false') return false
  if (value === 'true') return true
  if (/^\d+$/.test(value)) {
    const hops = Number(value)
    return (_address: string, hop: number) => hop < hops
  }
  return value
}

/** `fastify.config`: the configuration the app was built with. */
export default fp<{ config: Config }>(async function config (fastify, options) {
  fastify.decorate('config', options.config)
}, { name: 'config' })
