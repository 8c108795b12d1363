import type { FastifyInstance } from 'fastify'

/** Every /api route needs a signed-in caller unless it declares `config: { public: true }`. */
export default async function requireToken (fastify: FastifyInstance) {
  fastify.addHook('onRequest', async (request) => {
    if (!request.routeOptions.config.public) await fastify.authenticate(request)
  })
}
