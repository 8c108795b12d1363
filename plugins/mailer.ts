import fp from 'fastify-plugin'
import type { Mail, Mailer } from '../domain/invitations'

declare module 'fastify' {
  interface FastifyInstance {
    /** null when SMTP_URL is unset: no email is sent. */
    mailer: Mailer | null
  }
}

// A request waits for its email, so an unresponsive mail server must fail in seconds, not minutes.
const TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 }

export default fp(async function mailer (fastify) {
  const { SMTP_URL, MAIL_FROM } = fastify.config
  if (!SMTP_URL) {
    fastify.decorate('mailer', null)
    return
  }
  // Loaded only when it will be used: nodemailer is a noticeable part of the start-up time.
  const { createTransport } = (await import('nodemailer')).default
  const transport = createTransport({ url: SMTP_URL, ...TIMEOUTS }, { from: MAIL_FROM })
  fastify.decorate('mailer', {
    async send (mail: Mail) {
      await transport.sendMail(mail)
    }
  })
  fastify.addHook('onClose', async () => {
    transport.close()
  })
}, { name: 'mailer', dependencies: ['config'] })
