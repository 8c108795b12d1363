import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto'
import fastifyJwt from '@fastify/jwt'
import { and, eq, sql } from 'drizzle-orm'
import type { FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { type Role, users } from '../db/schema'
import { forbidden, unauthorized } from './errors'

export type User = typeof users.$inferSelect

export interface TokenClaims {
  sub: string
  org: number | null
  role: Role
}

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: TokenClaims
    user: User
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** onRequest hook: the caller must send a valid token of an existing user. */
    authenticate: (request: FastifyRequest) => Promise<void>
    issueToken: (user: User) => string
  }
}

const STAFF: readonly Role[] = ['OWNER', 'MANAGER']

/** OWNER or MANAGER of the organization (the caller's own when none is named), or ADMINISTRATOR. */
export function isStaff (user: User, organizationId = user.organization_id): boolean {
  return user.role === 'ADMINISTRATOR' || (STAFF.includes(user.role) && user.organization_id === organizationId)
}

export function requireStaff (user: User): void {
  if (!isStaff(user)) throw forbidden()
}

// scrypt at N=2^15, r=8 (32 MiB, about 100 ms here): slow for guessing, fine for a login.
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, keyLength: 64 }

function derive (password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, keyLength, { ...options, maxmem: 256 * 1024 * 1024 },
      (error, key) => (error ? reject(error) : resolve(key)))
  })
}

/** `scrypt$N$r$p$salt$key`: the parameters travel with the hash, so they can be raised later. */
export async function hashPassword (password: string): Promise<string> {
  const salt = randomBytes(16)
  const key = await derive(password, salt, SCRYPT.keyLength, SCRYPT)
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), key.toString('base64url')].join('$')
}

export async function verifyPassword (password: string, stored: string | null): Promise<boolean> {
  const [scheme, N, r, p, salt, key] = stored?.split('$') ?? []
  if (scheme !== 'scrypt' || !salt || !key) return false
  const expected = Buffer.from(key, 'base64url')
  const actual = await derive(password, Buffer.from(salt, 'base64url'), expected.length, { N: Number(N), r: Number(r), p: Number(p) })
  return timingSafeEqual(actual, expected)
}

/** `Authorization: Bearer <jwt>`, or the bare `<jwt>` older clients send. */
function tokenOf (request: FastifyRequest): string | undefined {
  const header = request.headers.authorization?.trim()
  if (!header) return undefined
  const match = /^Bearer\s+(.+)$/i.exec(header)
  return match ? match[1] : header
}

export default fp(async function auth (fastify) {
  await fastify.register(fastifyJwt, {
    secret: fastify.config.JWT_SECRET,
    sign: { algorithm: 'HS256', expiresIn: fastify.config.JWT_EXPIRES_IN },
    verify: { algorithms: ['HS256'] }
  })

  const activeUserById = fastify.db.select().from(users)
    .where(and(eq(users.id, sql.placeholder('id')), eq(users.deleted, false)))
    .prepare()

  fastify.decorate('issueToken', (user: User) =>
    fastify.jwt.sign({ sub: String(user.id), org: user.organization_id, role: user.role }))

  fastify.decorate('authenticate', async (request: FastifyRequest) => {
    const token = tokenOf(request)
    if (!token) throw unauthorized('No token provided!')
    let claims: TokenClaims
    try {
      claims = fastify.jwt.verify<TokenClaims>(token)
    } catch (error) {
      const reason = (error as { code?: string }).code === 'FAST_JWT_EXPIRED' ? 'has expired' : 'is invalid'
      throw unauthorized(`The token ${reason}: sign in again`)
    }
    // The role and organization come from the database, so a change takes effect at once.
    const user = activeUserById.get({ id: Number(claims.sub) })
    if (!user) throw unauthorized('The token belongs to a user who no longer exists')
    request.user = user
  })
}, { name: 'auth', dependencies: ['config', 'database'] })
