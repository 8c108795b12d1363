import { createHash, randomUUID } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import Fastify from 'fastify'
import type { Test } from 'tap'

export const CLIENT_ID = 'stand-in-client'
export const CLIENT_SECRET = 'stand-in-secret'
/** The stand-in serves its API under a path, as GitHub Enterprise does. */
const API_PREFIX = '/api/v3'

export interface GitHubEmail { email: string, verified: boolean, primary?: boolean }
export interface Account { id: number, login: string, name?: string | null, emails: GitHubEmail[] }

interface Grant { account: Account, challenge: string, method: string, redirectUri: string }

/**
 * A small GitHub on 127.0.0.1: its authorize page signs in as `as` at once and redirects back;
 * its token endpoint checks the client, the code, the redirect URI and the PKCE verifier, and
 * answers a refusal the way GitHub does (200 with an `error` field).
 */
export async function gitHubStandIn (t: Test) {
  const server = Fastify()
  server.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' },
    (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))))

  const grants = new Map<string, Grant>()
  const tokens = new Map<string, Account>()
  const github = {
    url: '',
    apiUrl: '',
    /** The account that signs in at the authorize page. */
    as: undefined as Account | undefined,
    /** How the token endpoint fails, when it should. */
    tokenFailure: undefined as 'refuse' | 'crash' | undefined,
    /** How the API fails, when it should. */
    apiFailure: undefined as 'crash' | 'garbage' | undefined,
    authorizeRequests: [] as Array<Record<string, string>>,
    tokenRequests: [] as Array<Record<string, string>>,
    close: async () => {}
  }

  server.get('/login/oauth/authorize', async (request, reply) => {
    const query = request.query as Record<string, string>
    github.authorizeRequests.push(query)
    if (query.client_id !== CLIENT_ID || !github.as) return reply.code(400).send({ error: 'unknown client or nobody signed in' })
    const code = randomUUID()
    grants.set(code, { account: github.as, challenge: query.code_challenge ?? '', method: query.code_challenge_method ?? '', redirectUri: query.redirect_uri ?? '' })
    const back = new URL(query.redirect_uri ?? '')
    back.searchParams.set('code', code)
    back.searchParams.set('state', query.state ?? '')
    return reply.redirect(back.href)
  })

  server.post('/login/oauth/access_token', async (request, reply) => {
    const body = request.body as Record<string, string>
    github.tokenRequests.push(body)
    if (github.tokenFailure === 'crash') return reply.code(500).send({ message: 'Server Error' })
    const grant = grants.get(body.code ?? '')
    grants.delete(body.code ?? '')
    const verified = grant?.method === 'S256' &&
      createHash('sha256').update(body.code_verifier ?? '').digest('base64url') === grant.challenge
    if (github.tokenFailure === 'refuse' || body.client_id !== CLIENT_ID || body.client_secret !== CLIENT_SECRET ||
      !grant || !verified || body.redirect_uri !== grant.redirectUri) {
      return { error: 'bad_verification_code', error_description: 'The code passed is incorrect or expired.' }
    }
    const token = randomUUID()
    tokens.set(token, grant.account)
    return { access_token: token, token_type: 'bearer', scope: 'read:user,user:email' }
  })

  const accountOf = (authorization: string | undefined) => tokens.get(authorization?.replace(/^Bearer /, '') ?? '')

  server.get(`${API_PREFIX}/user`, async (request, reply) => {
    const account = accountOf(request.headers.authorization)
    if (!account) return reply.code(401).send({ message: 'Bad credentials' })
    if (github.apiFailure === 'crash') return reply.code(500).send({ message: 'Server Error' })
    if (github.apiFailure === 'garbage') return reply.type('application/json').send('{"id": "not a number"')
    const primary = account.emails.find((entry) => entry.primary)
    return { id: account.id, login: account.login, name: account.name ?? null, email: primary?.email ?? null, avatar_url: `https://avatars.example/${account.id}` }
  })

  server.get(`${API_PREFIX}/user/emails`, async (request, reply) => {
    const account = accountOf(request.headers.authorization)
    if (!account) return reply.code(401).send({ message: 'Bad credentials' })
    return account.emails.map((entry) => ({ primary: false, visibility: null, ...entry }))
  })

  await server.listen({ port: 0, host: '127.0.0.1' })
  let closing: Promise<void> | undefined
  github.close = () => (closing ??= server.close())
  t.teardown(github.close)
  github.url = `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`
  github.apiUrl = `${github.url}${API_PREFIX}`
  return github
}

/** A browser that follows nothing by itself and keeps cookies per host and path. */
export function browser () {
  const jar = new Map<string, { host: string, path: string, value: string }>()

  function remember (url: URL, header: string) {
    const [pair = '', ...attributes] = header.split(';').map((part) => part.trim())
    const [name = '', ...value] = pair.split('=')
    const path = attributes.find((a) => /^path=/i.test(a))?.slice(5) ?? '/'
    const expired = attributes.some((a) => /^max-age=0$/i.test(a))
    const key = `${url.host} ${path} ${name}`
    if (expired) jar.delete(key)
    else jar.set(key, { host: url.host, path, value: value.join('=') })
  }

  return {
    cookies: jar,
    /** GET without following redirects; sends and keeps cookies. */
    async get (href: string) {
      const url = new URL(href)
      const cookie = [...jar.entries()]
        .filter(([, c]) => c.host === url.host && url.pathname.startsWith(c.path))
        .map(([key, c]) => `${key.split(' ')[2]}=${c.value}`)
        .join('; ')
      const response = await fetch(url, { redirect: 'manual', headers: cookie ? { cookie } : {} })
      for (const header of response.headers.getSetCookie()) remember(url, header)
      return response
    }
  }
}

export type Browser = ReturnType<typeof browser>
