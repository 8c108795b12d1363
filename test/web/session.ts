import type { FastifyInstance } from 'fastify'
import type { User } from '../../domain/caller'
import { SESSION_COOKIE } from '../../plugins/web'

/**
 * A browser as far as the server can tell, for inject: a cookie jar (signed in as `user` when
 * given, with the same token as a sign-in), and forms posted with the CSRF token a page gave it.
 */
export function browserOf (app: FastifyInstance, user?: User) {
  const jar = new Map<string, string>()
  if (user) jar.set(SESSION_COOKIE, app.issueToken(user))
  let token: string | undefined

  async function request (method: 'GET' | 'POST', url: string, form?: Record<string, string | string[]>, headers: Record<string, string> = {}) {
    const body = new URLSearchParams()
    for (const [name, value] of Object.entries(form ?? {})) for (const item of [value].flat()) body.append(name, item)
    const response = await app.inject({
      method,
      url,
      headers: {
        cookie: [...jar].map(([name, value]) => `${name}=${value}`).join('; '),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        ...headers
      },
      payload: form ? body.toString() : undefined
    })
    for (const cookie of response.cookies) {
      if (cookie.value === '' || (cookie.expires && cookie.expires.getTime() < Date.now())) jar.delete(cookie.name)
      else jar.set(cookie.name, cookie.value)
    }
    return response
  }

  async function csrf () {
    token ??= /name="_csrf" value="([^"]+)"/.exec((await request('GET', '/sign-in')).body)![1]!
    return token
  }

  return {
    jar,
    get: (url: string, headers?: Record<string, string>) => request('GET', url, undefined, headers),
    post: async (url: string, form: Record<string, string | string[]> = {}, headers?: Record<string, string>) =>
      request('POST', url, { _csrf: await csrf(), ...form }, headers)
  }
}

/** The text of the element with this id, tags stripped. */
export function textOf (page: string, id: string): string | undefined {
  const match = new RegExp(`id="${id}"[^>]*>([\\s\\S]*?)</`).exec(page)
  const entities: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" }
  return match?.[1]?.replace(/<[^>]+>/g, '').replace(/&(amp|lt|gt|quot|#39);/g, (entity) => entities[entity]!).trim()
}
