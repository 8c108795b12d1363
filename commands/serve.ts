import closeWithGrace from 'close-with-grace'
import type { FastifyRequest, FastifyServerOptions } from 'fastify'
import { type AppOptions, build } from '../app'
import { ConfigurationError } from '../plugins/config'
import { DOCS_PREFIX } from '../plugins/docs'
import { useServerHeapGrowth } from './node-flags'
import { version } from '../package.json'

/** Receiving a whole request may take this long; slow senders are cut off (slowloris). */
const REQUEST_TIMEOUT_MS = 30_000
/** A connection that sends nothing for this long is closed. */
const CONNECTION_TIMEOUT_MS = 120_000
/** Idle keep-alive connections stay open longer than the 60 s proxies commonly keep theirs. */
const KEEP_ALIVE_TIMEOUT_MS = 72_000
/** SIGTERM waits this long for requests in flight before giving up with exit code 1. */
const SHUTDOWN_GRACE_MS = 10_000

/**
 * The process's own faults and aborts, which close-with-grace would otherwise answer with a graceful
 * close, as it does the requests to stop (SIGTERM, SIGINT, SIGHUP, ...). A JavaScript listener for a
 * fault makes the kernel return to the faulting instruction, which faults again, forever, at full
 * CPU: Node 20 did so when its terminal disappeared. Left alone, they end the process; the database
 * is safe in its WAL.
 */
const FAULTS: closeWithGrace.AllEvents[] = ['SIGSEGV', 'SIGBUS', 'SIGILL', 'SIGFPE', 'SIGABRT', 'SIGTRAP']

/** The options of the HTTP server itself. */
export const serverSettings = (): FastifyServerOptions => ({
  requestTimeout: REQUEST_TIMEOUT_MS,
  connectionTimeout: CONNECTION_TIMEOUT_MS,
  keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS
})

// Invitation ids are the invitations themselves, and GitHub's `code` and `state` are one-time secrets.
const SECRET_PATH_SEGMENT = /\/[\w-]{22,}(?=\/|\?|$)/g
const SECRET_QUERY_VALUE = /([?&](?:code|state|token)=)[^&]*/g
export const withoutSecrets = (url: string) =>
  url.replace(SECRET_PATH_SEGMENT, '/[redacted]').replace(SECRET_QUERY_VALUE, '$1[redacted]')

/** What the log hides and how it shows a request; where it goes and in which format is app.ts's (LOG_FORMAT). */
export const logger = (): Exclude<FastifyServerOptions['logger'], boolean | undefined> => ({
  redact: {
    paths: [
      'req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]',
      'password', 'current_password', 'password_hash', 'token',
      '*.password', '*.current_password', '*.password_hash', '*.token'
    ],
    censor: '[redacted]'
  },
  serializers: {
    req: (request: FastifyRequest) => ({
      method: request.method,
      url: withoutSecrets(request.url),
      host: request.host,
      remoteAddress: request.ip,
      remotePort: request.socket?.remotePort
    })
  }
})

/**
 * Starts the server. SIGINT or SIGTERM stop it gracefully: it stops accepting connections, lets the
 * requests in flight finish, then closes the database (which checkpoints and removes its WAL file).
 */
export async function serve (options: AppOptions): Promise<void> {
  const server = build({ ...options, scheduler: true }, logger(), serverSettings())
  let stopping = false
  // Idle keep-alive connections are closed at once; these close as soon as their answer is sent.
  server.addHook('onSend', (_request, reply, payload, done) => {
    if (stopping) reply.header('connection', 'close')
    done(null, payload)
  })
  closeWithGrace({ delay: SHUTDOWN_GRACE_MS, skip: FAULTS, logger: { error: (message: unknown) => server.log.error(message) } },
    async ({ signal, err }) => {
      stopping = true
      if (err) server.log.error({ err }, 'stopping after an uncaught error')
      else server.log.info({ signal }, 'stopping: finishing the requests in flight')
      await server.close()
    })
  await server.ready()
  const { path, created } = server.databaseFile
  // Started from another folder, a relative DATABASE_PATH means another database: say so.
  if (created) server.log.info({ database: path }, `created a new database at ${path}`)
  const { PORT, HOST } = server.config
  // One line says it all; on 0.0.0.0 Fastify names each address of the machine, the others after it.
  let started = false
  const startLine = (address: string) => {
    if (started) return `also listening at ${address}`
    started = true
    return `Server listening at ${address}: MentorMatchr ${version}, API documentation at ${address}${DOCS_PREFIX}, database ${path}`
  }
  try {
    await server.listen({ port: PORT, host: HOST, listenTextResolver: startLine })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error
    await server.close()
    throw new ConfigurationError(`Port ${PORT} on ${HOST} is already in use: stop the program that holds it, or set PORT to a free port`)
  }
  useServerHeapGrowth()
}
