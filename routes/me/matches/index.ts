import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { type Problems, viewOf } from '../../../web/layout'
import { myMatchesPage } from '../../../web/pages/participant'

// A person has a handful of matches and meetings: the page shows up to this many of each.
const SHOWN = { limit: 50, offset: 0 }

/** My matches, each with its meetings; after a refused form, with that form refilled and its problems. */
export function renderMyMatches (request: FastifyRequest, reply: FastifyReply, form: Record<string, string> = {}, problems: Problems = {}) {
  const { matches, meetings } = request.server.domain
  const mine = matches.list(request.caller, { ...SHOWN, own: true }).rows.map((match) => ({
    ...match,
    meetings: meetings.list(request.caller, { match_id: match.id, ...SHOWN }).rows
  }))
  return reply.code(Object.keys(problems).length > 0 ? 400 : 200).html(myMatchesPage(viewOf(request, reply), mine, form, problems))
}

const myMatches: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get('/', {
    config: { access: 'member', page: true },
    schema: { summary: 'Page: my matches and their meetings (record one, rate one)', tags: ['pages'] }
  }, async (request, reply) => renderMyMatches(request, reply))
}

export default myMatches
