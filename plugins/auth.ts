import fastifyJwt from '@fastify/jwt'
import type { FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { Role } from '../db/schema'
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
      requiredClaims: ['exp', 'sub'],
      // A client sends the same token with every request: its signature is checked once, and the
      // claims kept (in memory, under a hash of the token) until the token expires or 10 minutes
      // pass. The user it names is still read on every request (signed-in-users.ts).
      cache: TOKENS_KEPT
    }
  })
  const { accounts } = fastify.domain

  fastify.decorate('issueToken', (user: User) =>
    fastify.jwt.sign({ sub: String(user.id), org: user.organization_id, role: user.role, gen: user.session_generation }))

  /** The user the request's token names, or the 401 that says why there is none. */
  function tokenUser (request: FastifyRequest): User | ApiError {
    const token = tokenOf(request)
    if (!token) return new ApiError(401, 'No token provided!')
    let claims: TokenClaims
    try {
      claims = fastify.jwt.verify<TokenClaims>(token)
    } catch (error) {
      const reason = (error as { code?: string }).code === 'FAST_JWT_EXPIRED' ? 'has expired' : 'is invalid'
      return new ApiError(401, `The token ${reason}: sign in again`)
    }
    if (!/^[1-9]\d{0,15}$/.test(claims.sub)) return new ApiError(401, 'The token is invalid: sign in again')
    // The role and organization come from the database, so a change takes effect at once.
    const user = accounts.activeUser(Number(claims.sub))
    if (!user) return new ApiError(401, 'The token belongs to a user who no longer exists')
    if ((claims.gen ?? 0) !== user.session_generation) return new ApiError(401, 'The token has been signed out: sign in again')
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
