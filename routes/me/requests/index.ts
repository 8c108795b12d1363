import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Form } from '../../../web/form-data'
import { Body, Id } from '../../../schemas/common'
import { PageQuery } from '../../../schemas/pages'
import { RequestMessage, RequestRank } from '../../../schemas/requests'
import { readForm, refusalProblems } from '../../../web/forms'
import { pageOf, type Problems, viewOf } from '../../../web/layout'
import { myRequestsPage, ownProfile, withNames } from '../../../web/pages/requests'

// POST /api/requests's body.
const NewRequest = Body({ mentor_id: Id, message: RequestMessage, rank: Type.Optional(RequestRank) })
// A mentee has at most three open requests; the page shows their latest ones.
const SHOWN = { limit: 50, offset: 0 }

/** The mentee's page: their requests, and the mentors they may ask (or why they may not ask now). */
export function renderMyRequests (request: FastifyRequest, reply: FastifyReply, page: number, form: Record<string, string | undefined> = {}, problems: Problems = {}) {
  const { requests, mentors } = request.server.domain
  const { caller } = request
  const mentee = ownProfile(request, 'mentees')
  const mine = mentee ? requests.list(caller, { mentee_id: mentee.id, ...SHOWN }).rows : []
  const refusal = requests.whyNotAsk(caller)
  const askable = refusal === null ? mentors.list(caller, { status: 'AVAILABLE', ...pageOf(page) }) : { rows: [], total: 0 }
  return reply.code(Object.keys(problems).length > 0 ? 400 : 200).html(myRequestsPage(viewOf(request, reply), {
    refusal,
    mentors: askable.rows.filter((mentor) => mentor.user_id !== caller.user.id),
    mentorsTotal: askable.total,
    page,
    form,
    problems,
    mine: withNames(request, mine),
    alsoMentor: ownProfile(request, 'mentors') !== undefined
  }))
}

const myRequests: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get('/', {
    config: { access: 'member', page: true },
    schema: { summary: 'Page: my requests to mentors (status, age, expiry, withdraw) and the mentors I may ask', tags: ['pages'], querystring: PageQuery }
  }, async (request, reply) => renderMyRequests(request, reply, request.query.page))

  fastify.post('/', {
    config: { access: 'member', page: true },
    schema: { summary: 'Page: ask a mentor (rank, message)', tags: ['pages'] }
  }, async (request, reply) => {
    const raw = request.body as Record<string, string>
    const form = readForm(NewRequest, request.body as Form)
    if (!form.ok) return renderMyRequests(request, reply, 1, raw, form.problems)
    try {
      fastify.domain.requests.create(request.caller, form.value)
      return reply.redirect('/me/requests', 303)
    } catch (error) {
      // The domain names the field its refusal concerns first ("rank: …", "mentor_id: …").
      const problems = refusalProblems(error, { invalid: 'mentor_id' })
      const said = Object.values(problems)[0]!
      return renderMyRequests(request, reply, 1, raw, /^rank\b/.test(said) ? { rank: said } : problems)
    }
  })
}

export default myRequests
