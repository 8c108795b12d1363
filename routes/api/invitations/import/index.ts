import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { INVITATION_FILE_COLUMNS, MAX_IMPORT_ROWS, readInvitationFile } from '../../../../domain/invitations'
import { errorResponses, Id } from '../../../../schemas/common'
import { ImportResult } from '../../../../schemas/invitations'

/** 10,000 rows of long names and addresses fit; anything larger is not a cohort. */
export const IMPORT_BODY_LIMIT = 5 * 1024 * 1024

const ROW_FIELDS = `${INVITATION_FILE_COLUMNS.join(', ')} (email required)`

const importRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { invitations } = fastify.domain

  // Only this route reads CSV: everywhere else a text body still answers 415.
  fastify.addContentTypeParser('text/csv', { parseAs: 'string' }, (_request, body, done) => done(null, body))

  fastify.post('/', {
    config: { access: 'staff' },
    bodyLimit: IMPORT_BODY_LIMIT,
    schema: {
      summary: 'Invite a cohort from a CSV file or a JSON array: every row checked and answered, the valid rows written together',
      tags: ['invitations'],
      querystring: Type.Object({
        dry_run: Type.Boolean({ default: false, description: 'Check every row and write nothing' }),
        organization_id: Type.Optional({ ...Id, description: 'The ADMINISTRATOR names the organization to invite to' })
      }),
      body: {
        content: {
          'text/csv': {
            schema: Type.String({
              description: `A header row naming the columns in any order (${ROW_FIELDS}), then one row per person; quoted fields, a BOM and CRLF are fine`,
              examples: ['email,name,role,week\r\nada@example.org,Ada Lovelace,MENTEE,3\r\ngrace@example.org,"Hopper, Grace",MENTOR,\r\n']
            })
          },
          'application/json': {
            schema: Type.Array(Type.Object({}, { additionalProperties: true, description: `A row: ${ROW_FIELDS}` }), {
              maxItems: MAX_IMPORT_ROWS,
              examples: [[{ email: 'ada@example.org', name: 'Ada Lovelace', role: 'MENTEE', week: 3 }]]
            })
          }
        }
      },
      response: { 200: ImportResult, ...errorResponses(400, 401, 403, 413, 415) }
    }
  }, async (request) => {
    const rows = typeof request.body === 'string' ? readInvitationFile(request.body) : request.body as unknown[]
    const { dry_run: dryRun, organization_id } = request.query
    return invitations.import(request.caller, rows, { dryRun, organization_id }, `${request.protocol}://${request.host}`)
  })
}

export default importRoutes
