import fastifyCookie, { type CookieSerializeOptions } from '@fastify/cookie'
import type { OAuth2Namespace } from '@fastify/oauth2'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { GitHubAccount } from '../domain/accounts'
import { invalid } from '../domain/errors'
import { ApiError } from './errors'

export interface GitHubSignIn {
  /** Sets the state and PKCE cookies, and the invitation's when one is given; answers GitHub's authorize URL. */
  authorizeUrl (request: FastifyRequest, reply: FastifyReply, invitationId?: string): Promise<string>
  /** The callback's half: checks the state, exchanges the code, reads the account and the invitation carried along. */
  complete (request: FastifyRequest, reply: FastifyReply): Promise<{ account: GitHubAccount, invitationId: string | null }>
}

declare module 'fastify' {
  interface FastifyInstance {
    /** null when GITHUB_CLIENT_ID is unset: the GitHub routes answer 503. */
    github: GitHubSignIn | null
  }
}

export const GITHUB_CALLBACK_PATH = '/api/auth/github/callback'

/** The GitHub routes call this first: without a client id, sign-in with GitHub is switched off. */
export function requireGitHub (fastify: FastifyInstance): GitHubSignIn {
  if (!fastify.github) throw new ApiError(503, 'Sign-in with GitHub is not configured on this server (GITHUB_CLIENT_ID is unset)')
  return fastify.github
}

const STATE_COOKIE = 'mentormatchr-github-state'
const VERIFIER_COOKIE = 'mentormatchr-github-verifier'
const INVITATION_COOKIE = 'mentormatchr-github-invitation'
// Every round trip cookie goes back only to the callback, lives ten minutes and is unreadable by scripts.
// Lax, because the callback is a top-level navigation coming back from GitHub.
const COOKIE: CookieSerializeOptions = {
  path: '/api/auth/github',
  httpOnly: true,
  sameSite: 'lax',
  secure: 'auto',
  maxAge: 600
}
const PAGE_COOKIE = 'mentormatchr-github-page'
const GITHUB_TIMEOUT_MS = 10_000
const START_AGAIN = 'start again from /api/auth/github'

const withoutTrailingSlash = (url: string) => url.replace(/\/+$/, '')
const unreadable = () => new ApiError(502, 'GitHub did not tell who signed in: try again later')

interface GitHubUser { id?: unknown, login?: unknown, name?: unknown, avatar_url?: unknown }
interface GitHubEmail { email?: unknown, verified?: unknown, primary?: unknown }

/** A sign-in started from the web app's pages: the callback then starts a session instead of answering the token. */
export function markPageSignIn (reply: FastifyReply): void {
  reply.setCookie(PAGE_COOKIE, '1', COOKIE)
}

/** Whether the sign-in the callback completes started from a page; the mark is used once. */
export function startedFromPage (request: FastifyRequest, reply: FastifyReply): boolean {
  if (request.cookies[PAGE_COOKIE] === undefined) return false
  reply.clearCookie(PAGE_COOKIE, COOKIE)
  return true
}

export default fp(async function github (fastify) {
  const { GITHUB_CLIENT_ID, GITHUB_CLIENT_SECRET, GITHUB_CALLBACK_URL } = fastify.config
  if (!GITHUB_CLIENT_ID) {
    fastify.decorate('github', null)
    return
  }
  if (!GITHUB_CLIENT_SECRET) throw new Error('GITHUB_CLIENT_SECRET is required when GITHUB_CLIENT_ID is set')
  const githubUrl = withoutTrailingSlash(fastify.config.GITHUB_URL)
  const apiUrl = withoutTrailingSlash(fastify.config.GITHUB_API_URL)

  if (!fastify.hasReplyDecorator('setCookie')) await fastify.register(fastifyCookie)
  // Loaded only when sign-in with GitHub is configured: with its HTTP client it weighs on start-up.
  const { default: fastifyOauth2 } = await import('@fastify/oauth2')
  await fastify.register(fastifyOauth2, {
    name: 'githubOAuth2',
    scope: ['read:user', 'user:email'],
    credentials: {
      client: { id: GITHUB_CLIENT_ID, secret: GITHUB_CLIENT_SECRET },
      auth: {
        authorizeHost: githubUrl,
        authorizePath: '/login/oauth/authorize',
        tokenHost: githubUrl,
        tokenPath: '/login/oauth/access_token'
      },
      options: { authorizationMethod: 'body' },
      http: { timeout: GITHUB_TIMEOUT_MS }
    },
    // Unset, the callback is this server's own, as the browser reached it.
    callbackUri: (request) => GITHUB_CALLBACK_URL ?? `${request.protocol}://${request.host}${GITHUB_CALLBACK_PATH}`,
    pkce: 'S256',
    cookie: COOKIE,
    redirectStateCookieName: STATE_COOKIE,
    verifierCookieName: VERIFIER_COOKIE,
    userAgent: 'MentorMatchr'
  })
  const oauth = (fastify as unknown as { githubOAuth2: OAuth2Namespace }).githubOAuth2

  async function readApi<T> (path: string, accessToken: string): Promise<T> {
    let response: Response
    try {
      response = await fetch(`${apiUrl}${path}`, {
        headers: {
          accept: 'application/vnd.github+json',
          authorization: `Bearer ${accessToken}`,
          'user-agent': 'MentorMatchr',
          'x-github-api-version': '2022-11-28'
        },
        signal: AbortSignal.timeout(GITHUB_TIMEOUT_MS)
      })
    } catch (error) {
      fastify.log.warn({ err: error, path }, 'GitHub API unreachable')
      throw unreadable()
    }
    if (!response.ok) {
      fastify.log.warn({ status: response.status, path }, 'GitHub API refused')
      throw unreadable()
    }
    return await response.json().catch(() => { throw unreadable() }) as T
  }

  async function readAccount (accessToken: string): Promise<GitHubAccount> {
    const [user, emails] = await Promise.all([
      readApi<GitHubUser>('/user', accessToken),
      readApi<GitHubEmail[]>('/user/emails?per_page=100', accessToken)
    ])
    if (!Number.isSafeInteger(user.id) || typeof user.login !== 'string' || !Array.isArray(emails)) throw unreadable()
    const verified = emails
      .filter((entry) => entry.verified === true && typeof entry.email === 'string')
      .sort((a, b) => Number(b.primary === true) - Number(a.primary === true))
      .map((entry) => (entry.email as string).toLowerCase())
    return {
      id: user.id as number,
      login: user.login,
      name: typeof user.name === 'string' && user.name.trim() ? user.name.trim() : null,
      avatar_url: typeof user.avatar_url === 'string' ? user.avatar_url : null,
      emails: verified
    }
  }

  fastify.decorate<GitHubSignIn>('github', {
    async authorizeUrl (request, reply, invitationId) {
      const url = await oauth.generateAuthorizationUri(request, reply)
      // The invitation rides beside the state it was issued with, so it counts only for this round trip.
      const state = new URL(url).searchParams.get('state')
      if (invitationId) reply.setCookie(INVITATION_COOKIE, `${state}.${invitationId}`, COOKIE)
      return url
    },

    async complete (request, reply) {
      const query = request.query as Record<string, string | undefined>
      const carried = request.cookies[INVITATION_COOKIE]
      reply.clearCookie(INVITATION_COOKIE, COOKIE)
      if (query.error) {
        reply.clearCookie(STATE_COOKIE, COOKIE).clearCookie(VERIFIER_COOKIE, COOKIE)
        throw invalid(`GitHub did not complete the sign-in (${query.error_description ?? query.error}): ${START_AGAIN}`)
      }
      let token
      try {
        // Checks the state against its cookie, sends the PKCE verifier, and clears both cookies.
        token = await oauth.getAccessTokenFromAuthorizationCodeFlow(request, reply)
      } catch (error) {
        if ((error as Error).message === 'Invalid state') throw invalid(`The sign-in state is missing or does not match: ${START_AGAIN}`)
        request.log.warn({ err: error }, 'GitHub code exchange failed')
        throw invalid(`GitHub did not accept the sign-in code: ${START_AGAIN}`)
      }
      // GitHub answers a refused exchange with 200 and an `error` field instead of a token.
      const answer = token.token as unknown as Record<string, unknown>
      if (typeof answer.access_token !== 'string' || !answer.access_token) {
        request.log.warn({ error: answer.error, description: answer.error_description }, 'GitHub code exchange refused')
        throw invalid(`GitHub did not accept the sign-in code: ${START_AGAIN}`)
      }
      const account = await readAccount(answer.access_token)
      const [state, invitationId] = carried?.split('.') ?? []
      return { account, invitationId: invitationId && state === query.state ? invitationId : null }
    }
  })
}, { name: 'github', dependencies: ['config', 'errors'] })
