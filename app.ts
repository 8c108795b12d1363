import { randomUUID } from 'node:crypto'
import { join } from 'node:path'
import fastifyAutoload from '@fastify/autoload'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import fp from 'fastify-plugin'
import auth from './plugins/auth'
import config, { type ConfigOptions } from './plugins/config'
import database, { type DatabaseOptions } from './plugins/database'
import docs, { type DocsOptions } from './plugins/docs'
import errors from './plugins/errors'
import github from './plugins/github'
import mailer from './plugins/mailer'
import rateLimit from './plugins/rate-limit'
import routeList, { type RouteFolder } from './plugins/route-list'
import security from './plugins/security'
import tenancy from './plugins/tenancy'
import validation from './plugins/validation'

export interface AppOptions {
  config?: ConfigOptions['overrides']
  database?: DatabaseOptions
  docs?: DocsOptions
  /** Routes found at build time (the single executable); without them, routes/ is autoloaded. */
  routes?: RouteFolder[]
}

/**
 * The whole of MentorMatchr as one plugin: the server and the tests register exactly this. It is not
 * encapsulated, so whoever registers it reaches `config`, `db` and the other decorators.
 */
export const app = fp<AppOptions>(async function mentormatchr (fastify, options) {
  await fastify.register(config, { overrides: options.config })
  await fastify.register(security)
  await fastify.register(validation)
  await fastify.register(errors)
  await fastify.register(database, options.database ?? {})
  await fastify.register(auth)
  await fastify.register(tenancy)
  await fastify.register(mailer)
  await fastify.register(github)
  await fastify.register(rateLimit)
  await fastify.register(docs, options.docs ?? {})
  if (options.routes) await fastify.register(routeList, { folders: options.routes })
  else await fastify.register(fastifyAutoload, {
    dir: join(__dirname, 'routes'),
    routeParams: true,
    autoHooks: true,
    cascadeHooks: true,
    // Route folders hold their routes in index.ts; other files beside them are shared modules.
    matchFilter: (path: string) => /\/index\.[cm]?[jt]s$/.test(path)
  })
}, { name: 'mentormatchr' })

export const serverOptions = (logger: FastifyServerOptions['logger'] = false): FastifyServerOptions => ({
  logger,
  genReqId: () => randomUUID(),
  bodyLimit: 1024 * 1024,
  routerOptions: { ignoreTrailingSlash: true }
})

export function build (options: AppOptions = {}, logger?: FastifyServerOptions['logger'], server: FastifyServerOptions = {}): FastifyInstance {
  const fastify = Fastify({ ...serverOptions(logger), ...server }).withTypeProvider<TypeBoxTypeProvider>()
  fastify.register(app, options)
  return fastify
}
