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
  fastify.decorate('domain', createDomain(fastify.db, {
    appUrl: fastify.config.APP_URL,
    lifetimeDays: fastify.config.INVITATION_TTL_DAYS,
    mailer: fastify.mailer,
    gitHubSignIn: fastify.github !== null,
    log: fastify.log,
    clock,
    checkRow: fastify.bodyCheck(InvitationRow),
    openReader: fastify.openReader
  }))
}, { name: 'domain', dependencies: ['config', 'validation', 'database', 'mailer', 'github'] })
