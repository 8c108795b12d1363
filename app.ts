import { randomUUID } from 'node:crypto'
import { join } from 'node:path'
import fastifyAutoload from '@fastify/autoload'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify, { type FastifyBaseLogger, type FastifyLogFn, type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions, LogController } from 'fastify'
import fp from 'fastify-plugin'
import pino from 'pino'
import type { DatabaseOptions } from './db/connection'
import type { Clock } from './domain/clock'
import access from './plugins/access'
import auth from './plugins/auth'
import config, { type Config, type ConfigOverrides, loadConfig, trustProxy } from './plugins/config'
import database from './plugins/database'
import docs, { type DocsOptions } from './plugins/docs'
import domain from './plugins/domain'
import errors, { clientErrorHandler, frameworkErrors } from './plugins/errors'
import github from './plugins/github'
import mailer from './plugins/mailer'
import rateLimit from './plugins/rate-limit'
import routeList, { type RouteFolder } from './plugins/route-list'
import scheduler from './plugins/scheduler'
import security from './plugins/security'
import validation from './plugins/validation'
import web, { type WebOptions } from './plugins/web'

export interface AppOptions {
  config?: ConfigOverrides
  database?: DatabaseOptions
  docs?: DocsOptions
  web?: WebOptions
  /** Routes found at build time (the single executable); without them, routes/ is autoloaded. */
  routes?: RouteFolder[]
  /** The time the rules and the scheduled jobs read; tests move it. */
  clock?: Clock
  /** Whether the scheduled jobs run in this process: `serve` only (and the scheduler's own tests). */
  scheduler?: boolean
}

/**
 * The whole of MentorMatchr as one plugin, given its configuration: the server and the tests
 * register exactly this. It is not encapsulated, so whoever registers it reaches `config`, `db`,
 * `domain` and the other decorators.
 */
export const app = fp<AppOptions & { loaded: Config }>(async function mentormatchr (fastify, options) {
  await fastify.register(config, { config: options.loaded })
  await fastify.register(security)
  await fastify.register(validation)
  await fastify.register(errors)
  await fastify.register(database, options.database ?? {})
  await fastify.register(mailer)
  await fastify.register(web, options.web ?? {})
  await fastify.register(github)
  await fastify.register(domain, { clock: options.clock })
  await fastify.register(scheduler, { run: options.scheduler })
  await fastify.register(auth)
  await fastify.register(access)
  await fastify.register(rateLimit)
  await fastify.register(docs, options.docs ?? {})
  if (options.routes) await fastify.register(routeList, { folders: options.routes })
  else await fastify.register(fastifyAutoload, { dir: join(__dirname, 'routes'), routeParams: true })
}, { name: 'mentormatchr' })

type Logger = Exclude<FastifyServerOptions['logger'], boolean | undefined>

/** "request completed: GET /api/users → 200 in 3.1 ms": a request's line as a person reads it. */
function readableMessage (log: Record<string, unknown>, messageKey: string): string {
  const message = String(log[messageKey] ?? '')
  const request = log.req as { method?: string, url?: string } | undefined
  if (!request) return message
  const reply = log.res as { statusCode?: number } | undefined
  const answered = reply ? ` → ${reply.statusCode} in ${Number(log.responseTime).toFixed(1)} ms` : ''
  return `${message}: ${request.method} ${request.url}${answered}`
}

/**
 * JSON lines gathered during one turn of the event loop and written together, synchronously, before
 * the loop waits again (and at exit, whatever ends the process but SIGKILL). Under load a turn
 * answers many requests: a write(2) per line cost GET /health a fifth of its throughput and a mentee
 * by id a seventh, more than making the lines. pino's own default, asynchronous writes through
 * libuv's thread pool, cost a tenth as well, and the server 15 to 30 MB of memory.
 */
class LinesPerTurn {
  // Given bytes, sonic-boom writes them as they are (given a string, it measures and encodes it four
  // times), though its types know only strings.
  readonly #destination = pino.destination({ dest: 1, sync: true, contentMode: 'buffer' }) as unknown as { write (bytes: Buffer): boolean }
  #pending = ''
  #scheduled = false

  constructor () {
    process.on('exit', this.flush)
  }

  write (line: string): void {
    this.#pending += line
    if (this.#scheduled) return
    this.#scheduled = true
    setImmediate(this.flush)
  }

  readonly flush = (): void => {
    this.#scheduled = false
    if (this.#pending === '') return
    const lines = this.#pending
    this.#pending = ''
    this.#destination.write(Buffer.from(lines))
  }

  /** With the app: what is pending is written, and the exit no longer needs to. */
  close (): void {
    this.flush()
    process.removeListener('exit', this.flush)
  }
}

/**
 * Where the log goes: JSON lines (pino's own, for machines) unless LOG_FORMAT=pretty, or LOG_FORMAT
 * is unset and standard output is a terminal. Readable lines come from pino-pretty used as a stream
 * in this process: as a transport it would need a worker thread, which the single executable cannot
 * start. Both are written synchronously, so that the last lines before an exit are not lost.
 */
function logOutput (format: Config['LOG_FORMAT']): Pick<Logger, 'stream'> {
  const terminal = process.stdout.isTTY === true
  if (format === 'json' || (format === undefined && !terminal)) return { stream: new LinesPerTurn() }
  // Loaded only when chosen: importing it costs every start and every command a little otherwise.
  const pinoPretty = require('pino-pretty') as typeof import('pino-pretty')
  return {
    stream: pinoPretty({
      colorize: terminal,
      sync: true,
      singleLine: true,
      translateTime: 'SYS:yyyy-mm-dd HH:MM:ss.l',
      ignore: 'pid,hostname,req,res,responseTime',
      messageFormat: readableMessage
    })
  }
}

/** How long the reply took, in milliseconds to the microsecond: "0.737". */
const responseTime = (reply: FastifyReply): string => reply.elapsedTime.toFixed(3)

/**
 * One line per answered request, with the request, its status and its duration: Fastify's two
 * lines (on arrival, on completion) cost a fifth of the throughput of a cheap route. The arrival
 * is still logged at debug level, for following a request that never completes.
 */
class AccessLog extends LogController {
  /** Made once, from the server's logger; null when it writes nowhere (no logger). */
  #write: ((request: FastifyRequest, reply: FastifyReply) => void) | null | undefined

  override incomingRequest (request: FastifyRequest): void {
    request.log.debug({ req: request }, 'incoming request')
  }

  override requestCompleted (error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (error) {
      reply.log.error({ req: request, res: reply, err: error, responseTime: Number(responseTime(reply)) }, 'request errored')
      return
    }
    const logger = request.server.log
    if (this.#write === undefined) this.#write = accessLineWriter(logger)
    if (this.#write && logsAt(logger.level, 'info')) this.#write(request, reply)
  }
}

/** What pino keeps of its configuration, under the symbols it exports for libraries that write its lines. */
interface PinoInternals {
  [pino.symbols.streamSym]?: { write (line: string): unknown }
  [pino.symbols.serializersSym]: Record<'req' | 'res', (value: unknown) => unknown>
  [pino.symbols.lsCacheSym]: Record<number, string>
  [pino.symbols.timeSym]: () => string
  [pino.symbols.chindingsSym]: string
  [pino.symbols.messageKeySym]: string
  [pino.symbols.endSym]: string
}

/**
 * Writes the access line that `logger.info({ reqId, req, res, responseTime }, 'request completed')`
 * would to the logger's stream, byte for byte but the response time, which it writes in milliseconds
 * to the microsecond (test/server/request-logger.test.ts compares the two). pino's generic path (a
 * serializer and a stringifier looked up per key, the redaction's stringifier on `req`) cost a
 * mentee by id a tenth of its throughput; this line holds only what the `req` and `res` serializers
 * make of the request and the reply, never a body, so it has nothing to redact. The shortest form of
 * an arbitrary double (the 17 digits pino writes of `elapsedTime`) cost GET /health a twentieth more.
 */
function accessLineWriter (logger: FastifyBaseLogger): ((request: FastifyRequest, reply: FastifyReply) => void) | null {
  const pinoLogger = logger as unknown as PinoInternals
  const stream = pinoLogger[pino.symbols.streamSym]
  if (!stream) return null
  const serializers = pinoLogger[pino.symbols.serializersSym]
  const time = pinoLogger[pino.symbols.timeSym]
  const start = pinoLogger[pino.symbols.lsCacheSym][pino.levels.values.info!]
  const bindings = pinoLogger[pino.symbols.chindingsSym]
  const end = `,"${pinoLogger[pino.symbols.messageKeySym]}":"request completed"${pinoLogger[pino.symbols.endSym]}`
  return (request, reply) => {
    stream.write(`${start}${time()}${bindings},"reqId":${JSON.stringify(request.id)},"req":${JSON.stringify(serializers.req(request))}` +
      `,"res":${JSON.stringify(serializers.res(reply))},"responseTime":${responseTime(reply)}${end}`)
  }
}

type LogArguments = Parameters<FastifyLogFn>
type Bindings = Parameters<FastifyBaseLogger['child']>[0]
type ChildLoggerOptions = NonNullable<Parameters<FastifyBaseLogger['child']>[1]>
type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace'

/** pino's numbers for its levels: a level logs what is at it or above. */
const LEVEL_VALUES: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity }

/** Whether a logger at `threshold` writes a line at `level`. */
const logsAt = (threshold: string, level: Level): boolean => LEVEL_VALUES[level]! >= LEVEL_VALUES[threshold]!

/**
 * A request's logger, made when something is logged through it. Most requests log nothing but their
 * access line, which AccessLog writes with a logger of its own; a pino child made for every request
 * cost a cheap route about a tenth of its throughput.
 */
class RequestLogger implements FastifyBaseLogger {
  readonly #parent: FastifyBaseLogger
  readonly #bindings: Bindings
  readonly #options: ChildLoggerOptions
  #made: FastifyBaseLogger | undefined

  constructor (parent: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions) {
    this.#parent = parent
    this.#bindings = bindings
    this.#options = options
  }

  get #logger (): FastifyBaseLogger {
    return (this.#made ??= this.#parent.child(this.#bindings, this.#options))
  }

  /** The logger, if a line at this level would be written: a line below the level makes nothing. */
  #at (level: Level): FastifyBaseLogger | undefined {
    if (this.#made) return this.#made
    return logsAt(this.#options.level ?? this.#parent.level, level) ? this.#logger : undefined
  }

  get level (): string { return this.#logger.level }
  set level (level: string) { this.#logger.level = level }
  fatal (...args: LogArguments): void { this.#at('fatal')?.fatal(...args) }
  error (...args: LogArguments): void { this.#at('error')?.error(...args) }
  warn (...args: LogArguments): void { this.#at('warn')?.warn(...args) }
  info (...args: LogArguments): void { this.#at('info')?.info(...args) }
  debug (...args: LogArguments): void { this.#at('debug')?.debug(...args) }
  trace (...args: LogArguments): void { this.#at('trace')?.trace(...args) }
  silent (): void {}
  child (bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger { return this.#logger.child(bindings, options) }
}

/**
 * Builds the app from its configuration (read once, here). The logger, when there is one, logs at
 * LOG_LEVEL in LOG_FORMAT unless it names its own level or stream; `server` adds options of the
 * HTTP server itself.
 */
export function build (options: AppOptions = {}, logger: Logger | false = false, server: FastifyServerOptions = {}): FastifyInstance {
  const loaded = loadConfig(options.config)
  // A logger that names its own stream (the tests') gets no output of ours, nor its exit hook.
  const output = logger ? { ...(logger.stream === undefined && logOutput(loaded.LOG_FORMAT)), ...logger } : undefined
  const fastify = Fastify({
    logger: output && { level: loaded.LOG_LEVEL, ...output },
    genReqId: () => randomUUID(),
    bodyLimit: 1024 * 1024,
    routerOptions: { ignoreTrailingSlash: true },
    trustProxy: trustProxy(loaded.TRUST_PROXY),
    frameworkErrors,
    clientErrorHandler,
    logController: new AccessLog(),
    // Without a logger, Fastify's own factory skips making children altogether.
    childLoggerFactory: logger ? (parent, bindings, options) => new RequestLogger(parent, bindings, options) : undefined,
    ...server
  }).withTypeProvider<TypeBoxTypeProvider>()
  fastify.register(app, { ...options, loaded })
  const { stream } = output ?? {}
  if (stream instanceof LinesPerTurn) fastify.addHook('onClose', (_instance, done) => { stream.close(); done() })
  return fastify
}
