import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { errorResponses } from '../../../../schemas/common'
import { Page, UnsubscribeParams } from '../../../../schemas/unsubscribe'

const escaped = (text: string) => text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`)

const page = (title: string, ...paragraphs: string[]) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1>${paragraphs.join('')}</body></html>`

/**
 * The link at the foot of every notification email: works without signing in, for its own person
 * only. Opening it (GET) changes nothing, since mail scanners open links: it shows a button that
 * POSTs to the same address, as mail programs do for one-click unsubscribe (RFC 8058).
 */
const unsubscribeRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { email } = fastify.domain

  fastify.get('/', {
    config: { access: 'public' },
    schema: {
      summary: 'The unsubscribe link of a notification email: shows whose it is and a button to stop the emails',
      tags: ['notifications'],
      params: UnsubscribeParams,
      response: { 200: Page, ...errorResponses(400, 403, 404) }
    }
  }, async (request, reply) => {
    const person = email.subscriber(request.params.token)
    const now = person.email_notifications === 'NONE'
      ? '<p>You receive no email from MentorMatchr.</p>'
      : `<p>You receive ${person.email_notifications === 'DIGEST' ? 'a daily digest of your notifications' : 'an email for each notification'}.</p>` +
        '<form method="post"><button type="submit">Stop all email from MentorMatchr</button></form>'
    return reply.type('text/html; charset=utf-8').send(page('MentorMatchr email', `<p>${escaped(person.name)}:</p>`, now))
  })

  fastify.post('/', {
    // The form's and the mail programs' POST body (List-Unsubscribe=One-Click) says nothing the address does not.
    config: { access: 'public', ignoresForm: true },
    schema: {
      summary: 'Stop the notification emails of the person the link names (email_notifications becomes NONE)',
      tags: ['notifications'],
      params: UnsubscribeParams,
      response: { 200: Page, ...errorResponses(400, 403, 404) }
    }
  }, async (request, reply) => {
    const person = email.unsubscribe(request.params.token)
    return reply.type('text/html; charset=utf-8').send(page('No more email',
      `<p>${escaped(person.name)}, you will receive no more email from MentorMatchr.</p>`,
      '<p>Your notifications stay in the app; to have them emailed again, set email_notifications in your account.</p>'))
  })
}

export default unsubscribeRoutes
