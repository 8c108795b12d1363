import { Writable } from 'node:stream'
import t, { type Test } from 'tap'
import { build } from '../../app'
import { logger } from '../../commands/serve'

/** An app logging at info into a string, with test routes that log through `request.log`. */
async function loggingApp (t: Test, prepare?: (app: ReturnType<typeof build>) => void) {
  let log = ''
  const stream = new Writable({ write (chunk, _encoding, done) { log += chunk; done() } })
  const app = build({ config: { DATABASE_PATH: ':memory:' } }, { ...logger(), level: 'info', stream })
  t.teardown(() => app.close())
  app.get('/test/quiet', { config: { access: 'public' } }, async () => ({}))
  app.get('/test/chatty', { config: { access: 'public' } }, async (request) => {
    request.log.debug('below the level')
    request.log.warn({ detail: 1 }, 'warned')
    request.log.child({ step: 'inner' }).error('from a child')
    return {}
  })
  app.get('/test/verbose', { config: { access: 'public' }, logLevel: 'debug' }, async (request) => {
    request.log.debug('at the route’s own level')
    return {}
  })
  prepare?.(app)
  await app.ready()
  const lines = () => log.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>)
  return { app, lines, text: () => log }
}

t.test('what a request logs carries its id, at the level set for the server or for its route', async (t) => {
  const { app, lines } = await loggingApp(t)
  await app.inject({ url: '/test/chatty' })
  await app.inject({ url: '/test/verbose' })

  const [warned, child, chattyCompleted, incoming, debug, verboseCompleted] = lines()
  t.match(warned, { level: 40, msg: 'warned', detail: 1, reqId: String })
  t.match(child, { level: 50, msg: 'from a child', step: 'inner', reqId: warned!.reqId })
  t.match(chattyCompleted, { msg: 'request completed', reqId: warned!.reqId })
  t.notOk(lines().some((line) => line.msg === 'below the level'), 'a line below the server’s level is not written')
  t.match(incoming, { level: 20, msg: 'incoming request', reqId: String }, 'a route logging at debug also says when its requests arrive')
  t.match(debug, { level: 20, msg: 'at the route’s own level', reqId: incoming!.reqId })
  t.match(verboseCompleted, { msg: 'request completed', reqId: incoming!.reqId })
  t.equal(lines().length, 6)
})

t.test('a request that logs nothing of its own makes no logger for itself', async (t) => {
  const { app, lines } = await loggingApp(t)
  await app.inject({ url: '/test/quiet' })
  const made: unknown[] = []
  const child = app.log.child.bind(app.log)
  app.log.child = (...args) => {
    made.push(args[0])
    return child(...args)
  }
  await app.inject({ url: '/test/quiet' })
  await app.inject({ url: '/health' })
  t.same(made, [], 'no child logger was made')
  t.equal(lines().filter((line) => line.msg === 'request completed').length, 3, 'and each request still has its line')
  await app.inject({ url: '/test/chatty' })
  // The second is the route's own `request.log.child(…)`: pino's children inherit the spy.
  t.same(made, [{ reqId: lines().at(-1)!.reqId }, { step: 'inner' }], 'a request that logs makes one, with its id')
})

t.test('an app built and closed, with its own log stream or with ours, leaves no exit hook behind', async (t) => {
  const before = process.listenerCount('exit')
  const own = build({ config: { DATABASE_PATH: ':memory:' } }, { level: 'info', stream: new Writable({ write (_chunk, _encoding, done) { done() } }) })
  t.equal(process.listenerCount('exit'), before, 'its own stream: nothing of ours is made')
  await own.close()
  const ours = build({ config: { DATABASE_PATH: ':memory:', LOG_FORMAT: 'json' } }, { level: 'silent' })
  t.equal(process.listenerCount('exit'), before + 1, 'our JSON lines: written at exit too')
  await ours.ready()
  await ours.close()
  t.equal(process.listenerCount('exit'), before, 'closed: the hook is gone')
})

t.test('the access line is the line pino writes for the same request, byte for byte', async (t) => {
  // pino's own line for the request, made as the request completes: the access line follows it.
  const { app, lines, text } = await loggingApp(t, (app) => app.addHook('onResponse', async (request, reply) => {
    request.server.log.info({ reqId: request.id, req: request, res: reply, responseTime: reply.elapsedTime }, 'request completed')
  }))
  await app.inject({ url: '/test/quiet?code=secret' })
  await app.inject({ url: '/api/invitations/secretsecretsecretsecret0123', headers: { authorization: 'Bearer secret' } })
  const written = lines().map((line) => JSON.stringify(line))
  t.equal(written.length, 4, "pino's line and ours, for each request")
  // Only the moment differs: the time, and how long the request had taken.
  const timeless = (line: string) => line.replace(/"time":\d+/, '"time":0').replace(/"responseTime":[\d.e-]+/, '"responseTime":0')
  t.equal(timeless(written[1]!), timeless(written[0]!))
  t.equal(timeless(written[3]!), timeless(written[2]!))
  t.match(lines()[1], { req: { url: '/test/quiet?code=[redacted]' }, res: { statusCode: 200 } }, 'through the same serializers')
  t.match(lines()[3], { req: { url: '/api/invitations/[redacted]' }, res: { statusCode: 404 } })
  t.match(text().split('\n')[1], /"responseTime":\d+\.\d{3},/, 'the response time in milliseconds, to the microsecond')
  t.notMatch(written.join('\n'), /secret/)
})

t.test('a request whose completion fails is logged as errored, with its error and the same response time', async (t) => {
  const { app, lines, text } = await loggingApp(t, (app) => app.get('/test/failing-hook', {
    config: { access: 'public' },
    onResponse: async () => { throw new Error('the hook failed') }
  }, async () => ({})))
  await app.inject({ url: '/test/failing-hook' })
  t.match(lines(), [{ level: 50, msg: 'request errored', err: { message: 'the hook failed' }, req: { url: '/test/failing-hook' }, res: { statusCode: 200 }, responseTime: Number }])
  t.match(text(), /"responseTime":\d+(\.\d{1,3})?,/, 'in milliseconds, to the microsecond')
})
