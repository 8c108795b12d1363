import fastifyJwt from '@fastify/jwt'
import type { FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { Role } from '../db/schema'
import { BoundedMap } from '../domain/bounded-map'
import type { User } from '../domain/caller'
import { ApiError } from './errors'
import { sessionToken } from './web'

export interface TokenClaims {
  sub: string
  org: number | null
  role: Role
  /** The user's session generation when the token was issued; tokens made before it existed have none (0). */
  gen?: number
}

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: TokenClaims
    user: User
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The user the request's token names: 401 without a valid token of an existing user. */
    authenticate: (request: FastifyRequest) => User
    /** The same user, or undefined where `authenticate` would answer 401 (a public route that serves both). */
    signedInUser: (request: FastifyRequest) => User | undefined
    issueToken: (user: User) => string
  }
}

/**
 * `Authorization: Bearer <jwt>`, or the bare `<jwt>` older clients send; on the web app's pages, the
 * session cookie, which holds the same token.
 */
function tokenOf (request: FastifyRequest): string | undefined {
  if (request.routeOptions.config.page) return sessionToken(request)
  const header = request.headers.authorization?.trim()
  if (!header) return undefined
  const match = /^Bearer\s+(.+)$/i.exec(header)
  return match ? match[1] : header
}

/** As many as the users signed-in-users.ts keeps. */
const TOKENS_KEPT = 10_000

/** What a verified token says: whom it names, from which session generation, until when. */
interface VerifiedToken {
  userId: number
  generation: number
  /** Its `exp`, in milliseconds. */
  expiresAt: number
}

/**
 * Tokens verified once, kept under the token itself until they expire: a client sends the same token
 * with every request. fast-jwt's own cache keys each token by its SHA-256, which cost a mentee by id
 * a fifth of its throughput; the token as its own key cannot collide with another's, and it reveals
 * nothing the process does not hold already (the secret that signs them). Past its capacity, the
 * oldest entry makes room.
 */
export class VerifiedTokens {
  readonly #kept: BoundedMap<string, VerifiedToken>

  constructor (capacity = TOKENS_KEPT) {
    this.#kept = new BoundedMap(capacity)
  }

  get (token: string): VerifiedToken | undefined {
    const verified = this.#kept.get(token)
    if (verified && Date.now() >= verified.expiresAt) {
      this.#kept.delete(token)
      return undefined
    }
    return verified
  }

  keep (token: string, verified: VerifiedToken): void {
    this.#kept.set(token, verified)
  }
}

/**
 * Tokens: HS256 JWTs, the algorithm pinned, with an expiry; the user, as stored now, on every
 * request, whose session generation the token must carry (signing out everywhere ends the rest).
 */
export default fp(async function auth (fastify) {
  await fastify.register(fastifyJwt, {
    secret: fastify.config.JWT_SECRET,
    sign: { algorithm: 'HS256', expiresIn: fastify.config.JWT_EXPIRES_IN },
    verify: {
      // A token without an expiry would never end; only canonical decimal user ids are taken.
      algorithms: ['HS256'],
      requiredClaims: ['exp', 'sub']
    }
  })
  const { accounts } = fastify.domain
  const verifiedTokens = new VerifiedTokens()

  fastify.decorate('issueToken', (user: User) =>
    fastify.jwt.sign({ sub: String(user.id), org: user.organization_id, role: user.role, gen: user.session_generation }))

  /** What the token says, once its signature and claims are checked, or the 401 that says why not. */
  function verify (token: string): VerifiedToken | ApiError {
    let claims: TokenClaims & { exp: number }
    try {
      claims = fastify.jwt.verify<TokenClaims & { exp: number }>(token)
    } catch (error) {
      const reason = (error as { code?: string }).code === 'FAST_JWT_EXPIRED' ? 'has expired' : 'is invalid'
      return new ApiError(401, `The token ${reason}: sign in again`)
    }
    if (!/^[1-9]\d{0,15}$/.test(claims.sub)) return new ApiError(401, 'The token is invalid: sign in again')
    const verified = { userId: Number(claims.sub), generation: claims.gen ?? 0, expiresAt: claims.exp * 1000 }
    verifiedTokens.keep(token, verified)
    return verified
  }

  /** The user the request's token names, or the 401 that says why there is none. */
  function tokenUser (request: FastifyRequest): User | ApiError {
    const token = tokenOf(request)
    if (!token) return new ApiError(401, 'No token provided!')
    const verified = verifiedTokens.get(token) ?? verify(token)
    if (verified instanceof ApiError) return verified
    // The role and organization come from the database, so a change takes effect at once.
    const user = accounts.activeUser(verified.userId)
    if (!user) return new ApiError(401, 'The token belongs to a user who no longer exists')
    if (verified.generation !== user.session_generation) return new ApiError(401, 'The token has been signed out: sign in again')
    return user
  }

  fastify.decorate('authenticate', (request: FastifyRequest) => {
    const user = tokenUser(request)
    if (user instanceof ApiError) throw user
    request.user = user
    return user
  })

  fastify.decorate('signedInUser', (request: FastifyRequest) => {
    const user = tokenUser(request)
    return user instanceof ApiError ? undefined : user
  })
}, { name: 'auth', dependencies: ['config', 'domain'] })
