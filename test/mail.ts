import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'
import type { Test } from 'tap'

export interface Received { from: string, to: string[], message: string }

/**
 * A mail server on 127.0.0.1 that keeps what it receives, or refuses every recipient. `onMessage`
 * runs when a message has arrived, before the sender hears it was accepted.
 */
export async function mailServer (t: Test, refuse = false, onMessage?: (message: Received) => void) {
  const received: Received[] = []
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo (_address, _session, callback) {
      if (!refuse) return callback()
      callback(Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 }))
    },
    onData (stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('end', () => {
        const message = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          message: Buffer.concat(chunks).toString('utf8')
        }
        received.push(message)
        onMessage?.(message)
        callback()
      })
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())))
  const { port } = server.server.address() as AddressInfo
  return { received, url: `smtp://127.0.0.1:${port}` }
}

/** The message body with quoted-printable soft line breaks and escapes undone. */
export const decoded = (message: string) => message
  .replace(/=\r?\n/g, '')
  .replace(/=([0-9A-F]{2})/g, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16)))
