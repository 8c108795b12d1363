import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { effectiveWeights } from '../../../domain/matching/scoring'
import { admits } from '../../../domain/policy'
import type { Form } from '../../../web/form-data'
import { Body, Id, StringEnum } from '../../../schemas/common'
import { WeightQuery, weightsOfQuery } from '../../../schemas/matching'
import { LambdaWeek } from '../../../schemas/mentees'
import { readForm, refusalProblems } from '../../../web/forms'
import { fullName, type Problems, viewOf } from '../../../web/layout'
import { type MatchingState, matchingPage } from '../../../web/pages/matching'

// GET /api/matches/suggestions's and POST /api/matches/assignments's inputs, as one query.
export const MatchingQuery = Body({
  mentee_id: Type.Optional(Id),
  lambda_week: Type.Optional(LambdaWeek),
  suggest: Type.Optional(StringEnum(['1'])),
  preview: Type.Optional(StringEnum(['1'])),
  ...WeightQuery
})
// POST /api/matches's body, as the suggestion's Match button sends it.
const NewMatch = Body({ mentee_id: Id, mentor_id: Id, match_score: Type.Number({ minimum: 0, maximum: 1 }) })
// The select lists this many waiting mentees; the cohort preview takes them all.
const LISTED = { limit: 200, offset: 0 }

/**
 * The matching page for a query: the weights in effect, the waiting mentees, and, when asked, one
 * mentee's suggestions or the cohort's preview, each computed by the same domain calls as the API.
 */
export function renderMatching (request: FastifyRequest, reply: FastifyReply, raw: Record<string, string | undefined>, extra: Problems = {}) {
  const { matching, mentees, mentors, organizations } = request.server.domain
  const { caller } = request
  const organizationId = caller.user.organization_id
  const stored = organizationId === null ? null : organizations.get(caller, organizationId).matching_weights
  const state: MatchingState = {
    query: raw,
    weights: effectiveWeights('weights', stored),
    waiting: mentees.list(caller, { status: 'AVAILABLE', ...LISTED }).rows,
    problems: { ...extra },
    mayKeepWeights: admits('owner', caller.user) && organizationId !== null
  }
  const form = readForm(MatchingQuery, raw as Form)
  if (!form.ok) {
    Object.assign(state.problems, form.problems)
    return reply.code(400).html(matchingPage(viewOf(request, reply), state))
  }
  const { mentee_id, lambda_week, preview, suggest, ...weightFields } = form.value
  const weights = weightsOfQuery(weightFields)
  try {
    if (mentee_id !== undefined && suggest !== undefined) {
      state.menteeName = fullName(mentees.get(caller, mentee_id).user)
      state.suggestions = matching.suggestions(caller, { mentee_id, limit: 10, weights }).rows
    }
    if (preview !== undefined) {
      const plan = matching.preview(caller, { lambda_week, weights })
      const name = (profiles: typeof mentors | typeof mentees, id: number) => fullName(profiles.get(caller, id).user)
      state.preview = {
        total_score: plan.total_score,
        pairs: plan.pairs.map((pair) => ({ ...pair, mentee: name(mentees, pair.mentee_id), mentor: name(mentors, pair.mentor_id) })),
        unmatched: plan.unmatched.map((left) => ({ ...left, mentee: name(mentees, left.mentee_id) }))
      }
    }
  } catch (error) {
    // An unknown mentee concerns the mentee field; weights that are all 0, the form.
    Object.assign(state.problems, refusalProblems(error, { 'not-found': 'mentee_id' }))
    return reply.code(400).html(matchingPage(viewOf(request, reply), state))
  }
  return reply.code(Object.keys(state.problems).length > 0 ? 400 : 200).html(matchingPage(viewOf(request, reply), state))
}

const matchingRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get('/', {
    config: { access: 'staff', page: true },
    schema: { summary: "Page: a mentee's suggestions with scores and reasons, and the cohort assignment preview with adjustable weights", tags: ['pages'] }
  }, async (request, reply) => renderMatching(request, reply, request.query as Record<string, string>))

  fastify.post('/', {
    config: { access: 'staff', page: true },
    schema: { summary: 'Page: match a mentee with a suggested mentor', tags: ['pages'] }
  }, async (request, reply) => {
    const form = readForm(NewMatch, request.body as Form)
    if (!form.ok) return renderMatching(request, reply, {}, { form: Object.values(form.problems).join('; ') })
    try {
      fastify.domain.matches.create(request.caller, form.value)
      return reply.redirect('/staff/matches?status=ACTIVE', 303)
    } catch (error) {
      return renderMatching(request, reply, { mentee_id: String(form.value.mentee_id), suggest: '1' }, refusalProblems(error))
    }
  })
}

export default matchingRoutes
