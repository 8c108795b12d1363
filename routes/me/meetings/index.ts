import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Body, Id } from '../../../schemas/common'
import { MeetingFields } from '../../../schemas/meetings'
import { readForm, refusalProblems } from '../../../web/forms'
import { renderMyMatches } from '../matches'

// POST /api/meetings's body, as far as this form asks.
const { rating: _rating, ...recordFields } = MeetingFields
const NewMeeting = Body({ match_id: Id, ...recordFields })

/** A browser's `datetime-local` has no zone: the form says it is UTC, and the API wants the zone written. */
export const utcOfLocal = (value: string | undefined) =>
  value && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value) ? `${value.length === 16 ? `${value}:00` : value}Z` : value

const meetings: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post('/', {
    config: { access: 'member', page: true },
    schema: { summary: 'Page: record a meeting of one of my matches', tags: ['pages'] }
  }, async (request, reply) => {
    const raw = request.body as Record<string, string>
    const form = readForm(NewMeeting, { ...raw, meeting_date: utcOfLocal(raw.meeting_date) ?? '' })
    if (!form.ok) return renderMyMatches(request, reply, raw, form.problems)
    try {
      fastify.domain.meetings.create(request.caller, form.value)
      return reply.redirect('/me/matches', 303)
    } catch (error) {
      return renderMyMatches(request, reply, raw, refusalProblems(error, { invalid: 'meeting_date' }))
    }
  })
}

export default meetings
