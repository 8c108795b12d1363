import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Form } from '../../../../web/form-data'
import { Body } from '../../../../schemas/common'
import { WeightQuery, weightsOfQuery } from '../../../../schemas/matching'
import { readForm, refusalProblems } from '../../../../web/forms'
import { renderMatching } from '..'

const Weights = Body({ ...WeightQuery })

const weights: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post('/', {
    config: { access: 'owner', page: true },
    schema: { summary: "Page: keep the weights tried on the matching page as the organization's", tags: ['pages'] }
  }, async (request, reply) => {
    const { _csrf: _token, ...raw } = request.body as Record<string, string>
    const form = readForm(Weights, request.body as Form)
    if (!form.ok) return renderMatching(request, reply, raw, form.problems)
    try {
      // The ADMINISTRATOR belongs to no organization: 0 names none, and the domain says so.
      const organizationId = request.caller.user.organization_id ?? 0
      fastify.domain.organizations.update(request.caller, organizationId, { matching_weights: weightsOfQuery(form.value) ?? null })
      return reply.redirect('/staff/matching', 303)
    } catch (error) {
      return renderMatching(request, reply, raw, refusalProblems(error))
    }
  })
}

export default weights
