import fp from 'fastify-plugin'
import { createDomain, type Domain } from '../domain'
import type { Clock } from '../domain/clock'
import { InvitationRow } from '../schemas/invitations'

declare module 'fastify' {
  interface FastifyInstance {
    /** MentorMatchr's rules, built once with their prepared statements; routes call nothing else. */
    domain: Domain
  }
}

export default fp<{ clock?: Clock }>(async function domain (fastify, { clock }) {
  const { APP_URL, HOST, PORT, INVITATION_TTL_DAYS, JWT_SECRET } = fastify.config
  const rules = createDomain(fastify.db, {
    appUrl: APP_URL,
    serverUrl: `http://${HOST}:${PORT}`,
    lifetimeDays: INVITATION_TTL_DAYS,
    mailer: fastify.mailer,
    gitHubSignIn: fastify.github !== null,
    secret: JWT_SECRET,
    log: fastify.log,
    clock,
    checkRow: fastify.bodyCheck(InvitationRow),
    openReader: fastify.openReader
  })
  fastify.decorate('domain', rules)
  // Emails being sent still mark their notifications: the database waits for them.
  fastify.addHook('onClose', () => rules.email.idle())
}, { name: 'domain', dependencies: ['config', 'validation', 'database', 'mailer', 'github'] })
