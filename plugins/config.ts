import { randomBytes } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import fastifyEnv from '@fastify/env'
import { type Static, Type } from '@sinclair/typebox'
import fp from 'fastify-plugin'

const ConfigSchema = Type.Object({
  PORT: Type.Integer({ default: 5000 }),
  HOST: Type.String({ default: '127.0.0.1' }),
  DATABASE_PATH: Type.String({ default: 'data/mentormatchr.db' }),
  JWT_SECRET: Type.Optional(Type.String({ minLength: 32 })),
  JWT_EXPIRES_IN: Type.String({ default: '1d' }),
  APP_URL: Type.Optional(Type.String()),
  CORS_ORIGINS: Type.String({ default: '' }),
  TRUST_PROXY: Type.String({ default: '' }),
  LOG_LEVEL: Type.String({ default: 'info' }),
  GITHUB_CLIENT_ID: Type.Optional(Type.String()),
  GITHUB_CLIENT_SECRET: Type.Optional(Type.String()),
  GITHUB_CALLBACK_URL: Type.Optional(Type.String()),
  GITHUB_URL: Type.String({ default: 'https://github.com' }),
  GITHUB_API_URL: Type.String({ default: 'https://api.github.com' }),
  SMTP_URL: Type.Optional(Type.String()),
  MAIL_FROM: Type.String({ default: 'MentorMatchr <no-reply@localhost>' }),
  INVITATION_TTL_DAYS: Type.Integer({ minimum: 1, default: 14 }),
  AUTH_RATE_LIMIT: Type.Integer({ minimum: 1, default: 10 }),
  AUTH_RATE_WINDOW: Type.String({ default: '1 minute' })
})

export type Config = Static<typeof ConfigSchema> & { JWT_SECRET: string }

declare module 'fastify' {
  interface FastifyInstance {
    config: Config
  }
}

export interface ConfigOptions {
  /** Values that win over the environment and `.env` (tests and the CLI set them). */
  overrides?: Partial<Record<keyof Config, string | number>>
}

const IN_MEMORY = ':memory:'

/**
 * Without JWT_SECRET, tokens are signed with a secret generated on first start and kept beside
 * the database, so that signed-in users stay signed in across restarts.
 */
function persistentSecret (databasePath: string): string {
  if (databasePath === IN_MEMORY) return randomBytes(48).toString('base64url')
  const file = join(dirname(databasePath), 'jwt-secret')
  mkdirSync(dirname(file), { recursive: true })
  try {
    return readFileSync(file, 'utf8').trim()
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  const secret = randomBytes(48).toString('base64url')
  // 'wx' fails if another process wrote it first; then theirs is the one to use.
  try {
    writeFileSync(file, secret + '\n', { mode: 0o600, flag: 'wx' })
    return secret
  } catch {
    return readFileSync(file, 'utf8').trim()
  }
}

export default fp<ConfigOptions>(async function config (fastify, options) {
  await fastify.register(fastifyEnv, {
    schema: ConfigSchema,
    dotenv: { quiet: true },
    data: options.overrides ?? {}
  })
  fastify.config.JWT_SECRET ??= persistentSecret(fastify.config.DATABASE_PATH)
  fastify.log.level = fastify.config.LOG_LEVEL
}, { name: 'config' })
