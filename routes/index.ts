import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Redirect } from '../schemas/auth'

/** The server's front door: until the web app serves pages here, it leads to the API documentation. */
const home: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get('/', {
    config: { access: 'public' },
    schema: {
      summary: 'The front door: redirects to the API documentation at /docs',
      tags: ['service'],
      response: { 302: Redirect }
    }
  }, async (_request, reply) => reply.redirect('/docs'))
}

export default home
