import fastifyCookie from '@fastify/cookie'
import fastifyCsrfProtection from '@fastify/csrf-protection'
import { errorCodes, type FastifyReply, type FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { User } from '../domain/caller'
import { loadAssets, type WebAsset } from '../web/assets'
import { CSRF_FIELD, type Form, parseForm } from '../web/form-data'
import type { Html } from '../web/html'
import { runFirst } from './route-hooks'

export interface WebOptions {
  /** The single executable reads the pages' CSS and scripts from its own assets. */
  readAsset?: (name: WebAsset) => Buffer
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A page of the web app: signed in by the session cookie, forms checked for CSRF, failures shown as pages. */
    page?: boolean
    /** An API route a plain HTML form or a mail program posts to (one-click unsubscribe): it reads nothing of the form. */
    ignoresForm?: boolean
  }
  interface FastifyInstance {
    webAssets: ReturnType<typeof loadAssets>
  }
  interface FastifyReply {
    /** Signs the browser in: the session cookie carries the same token the API hands out. */
    startSession (user: User): void
    endSession (): void
    /** Answers a whole HTML page. */
    html (page: Html): FastifyReply
  }
}

export const SESSION_COOKIE = 'mentormatchr-session'
/**
 * What browsers need beside the API: the session cookie, CSRF protection of every page's form,
 * HTML forms as bodies (for pages only: the API keeps answering 415 to anything but JSON), and the
 * CSS and scripts the pages load.
 */
export default fp<WebOptions>(async function web (fastify, options) {
  await fastify.register(fastifyCookie, { secret: fastify.config.JWT_SECRET })
  await fastify.register(fastifyCsrfProtection, {
    cookieKey: 'mentormatchr-csrf',
    cookieOpts: { path: '/', httpOnly: true, sameSite: 'lax', secure: 'auto', signed: true },
    getToken: (request) => (request.body as Form | undefined)?.[CSRF_FIELD] as string | undefined
  })

  fastify.decorate('webAssets', loadAssets(options.readAsset))

  fastify.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 64 * 1024 },
    (request, body, done) => {
      if (request.routeOptions.config.ignoresForm) {
        done(null, undefined)
        return
      }
      if (!request.routeOptions.config.page) {
        done(new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE(request.headers['content-type']), undefined)
        return
      }
      done(null, parseForm(body as string))
    })

  fastify.addHook('onRoute', (route) => {
    if (!route.config?.page) return
    // Pages are not part of the API: its document (/docs) leaves them out; docs/api.md lists them.
    route.schema = { ...route.schema, hide: true }
    // Every form a page accepts carries the token its page was rendered with; a forged one is refused.
    if (route.method === 'POST') runFirst(route, 'preHandler', fastify.csrfProtection)
  })

  fastify.decorateReply('startSession', function (this: FastifyReply, user: User) {
    const token = fastify.issueToken(user)
    const { exp } = fastify.jwt.decode<{ exp: number }>(token)!
    this.setCookie(SESSION_COOKIE, token, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: 'auto',
      expires: new Date(exp * 1000)
    })
  })
  fastify.decorateReply('endSession', function (this: FastifyReply) {
    this.clearCookie(SESSION_COOKIE, { path: '/' })
  })
  fastify.decorateReply('html', function (this: FastifyReply, page: Html) {
    // A page shows what this user may see: never kept by a shared cache, nor by the browser's back button.
    return this.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(`<!doctype html>\n${page.text}`)
  })
}, { name: 'web', dependencies: ['config'] })

/** The session's token. Only pages read it: the API takes bearer tokens, so no cookie can call it across sites. */
export const sessionToken = (request: FastifyRequest): string | undefined => request.cookies[SESSION_COOKIE]
