import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { EXPORT_FORMATS, EXPORTS } from '../../../../domain/exports'
import { errorResponses, StringEnum } from '../../../../schemas/common'

const CONTENT_TYPES = { csv: 'text/csv; charset=utf-8', json: 'application/json; charset=utf-8' }

const exportRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { exports } = fastify.domain

  fastify.get('/', {
    config: { access: 'staff' },
    schema: {
      summary: "Download the organization's people, profiles, matches or meetings as CSV or JSON, streamed",
      tags: ['exports'],
      params: Type.Object({
        what: StringEnum(EXPORTS, { description: 'people: the users; profiles: mentor and mentee profiles (column kind); matches; meetings' })
      }),
      querystring: Type.Object({ format: StringEnum(EXPORT_FORMATS, { default: 'csv' }) }),
      response: {
        200: {
          description: 'Every record of the organization, soft-deleted ones too (column deleted), oldest first; never a password hash or token',
          content: {
            'text/csv': { schema: Type.String({ description: 'A header row, then one row per record' }) },
            'application/json': { schema: Type.Array(Type.Object({}, { additionalProperties: true })) }
          }
        },
        ...errorResponses(400, 401, 403)
      }
    }
  }, async (request, reply) => {
    const { what } = request.params
    const { format } = request.query
    const day = new Date().toISOString().slice(0, 10)
    return reply
      .header('content-type', CONTENT_TYPES[format])
      .header('content-disposition', `attachment; filename="mentormatchr-${what}-${day}.${format}"`)
      .header('cache-control', 'no-store')
      // A stream goes out as it is read, past the serializer: the schema above documents its content.
      .send(exports.stream(request.caller.scope, what, format) as never)
  })
}

export default exportRoutes
