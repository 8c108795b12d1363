import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Form } from '../../../../web/form-data'
import { refusalProblems } from '../../../../web/forms'
import { renderMatching } from '..'

const PAIR = /^([1-9]\d{0,15}):([1-9]\d{0,15}):(0|1|0?\.\d+)$/

const apply: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post('/', {
    config: { access: 'staff', page: true },
    schema: { summary: 'Page: apply a cohort preview (all its matches in one transaction, or none)', tags: ['pages'] }
  }, async (request, reply) => {
    const { pair, _csrf: _token, ...query } = request.body as Form
    const pairs = [pair ?? []].flat().map((text) => PAIR.exec(text))
    const again = { ...query, preview: '1' } as Record<string, string>
    if (pairs.length === 0 || pairs.some((match) => match === null)) {
      return renderMatching(request, reply, again, { form: 'The preview to apply is missing or damaged: preview again' })
    }
    try {
      fastify.domain.matching.apply(request.caller, pairs.map((match) => ({ mentee_id: Number(match![1]), mentor_id: Number(match![2]), score: Number(match![3]) })))
      return reply.redirect('/staff/matches?status=ACTIVE', 303)
    } catch (error) {
      // A pair no longer possible: nothing was written; the fresh preview is shown with the reason.
      return renderMatching(request, reply, again, refusalProblems(error))
    }
  })
}

export default apply
