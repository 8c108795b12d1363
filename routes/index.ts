import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { admits } from '../domain/policy'
import { viewOf } from '../web/layout'
import { dashboardPage } from '../web/pages/dashboard'

/** The web app's front door: staff see their dashboard, everyone else their matches. */
const home: FastifyPluginAsyncTypebox = async (fastify) => {
  const { dashboard, organizations } = fastify.domain

  fastify.get('/', {
    config: { access: 'member', page: true },
    schema: { summary: "Page: staff's dashboard (participants go on to their matches)", tags: ['pages'] }
  }, async (request, reply) => {
    const { caller } = request
    if (!admits('staff', caller.user)) return reply.redirect('/me/matches', 303)
    const organizationId = caller.user.organization_id
    const name = organizationId === null ? 'All organizations' : organizations.get(caller, organizationId).name
    return reply.html(dashboardPage(viewOf(request, reply), name, dashboard.of(caller)))
  })
}

export default home
