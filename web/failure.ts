import type { FastifyReply, FastifyRequest } from 'fastify'
import { html } from './html'
import { layout, viewOf } from './layout'

const TITLES: Record<number, string> = {
  400: 'That request cannot be used',
  403: 'Not for you',
  404: 'Not found',
  409: 'Not possible now',
  410: 'No longer available',
  429: 'Too many attempts'
}

/**
 * A refusal on a page: a browser without a valid session goes to the sign-in (and comes back after
 * it); anything else is a page saying, in the API's words, why.
 */
export function pageFailure (request: FastifyRequest, reply: FastifyReply, statusCode: number, message: string): FastifyReply {
  if (statusCode === 401) {
    reply.endSession()
    const next = request.method === 'GET' ? `?next=${encodeURIComponent(request.url)}` : ''
    return reply.redirect(`/sign-in${next}`, 303)
  }
  const title = TITLES[statusCode] ?? (statusCode >= 500 ? 'Something went wrong' : 'Refused')
  return reply.code(statusCode).html(layout(viewOf(request, reply), title, html`
<p role="alert" id="failure">${message}</p>
<p><a href="/">Back to the start</a></p>`))
}
