import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { and, eq, sql } from 'drizzle-orm'
import { users } from '../../../../db/schema'
import { verifyPassword } from '../../../../plugins/auth'
import { ApiError, unauthorized } from '../../../../plugins/errors'
import { Body, errors } from '../../../schemas'
import { SignedIn } from '../../users/schemas'
import { authRateLimit } from '../rate-limit'

const WRONG_CREDENTIALS = { statusCode: 400, error: 'Login failed. Wrong credentials!' }

const login: FastifyPluginAsyncTypebox = async (fastify) => {
  const activeUserByEmail = fastify.db.select().from(users)
    .where(and(eq(users.email, sql.placeholder('email')), eq(users.deleted, false))).prepare()

  fastify.post('/', {
    config: {
      public: true,
      rateLimit: authRateLimit(fastify),
      whenAbsent: { email: WRONG_CREDENTIALS, password: WRONG_CREDENTIALS }
    },
    schema: {
      summary: 'Sign in with email and password',
      tags: ['auth'],
      body: Body({ email: Type.String({ minLength: 1, maxLength: 254 }), password: Type.String({ minLength: 1 }) }),
      response: { 200: SignedIn, ...errors(400, 401, 404, 429) }
    }
  }, async (request) => {
    const user = activeUserByEmail.get({ email: request.body.email })
    if (!user) throw new ApiError(404, 'Cannot log in! User not found.')
    if (!(await verifyPassword(request.body.password, user.password_hash))) {
      throw unauthorized('Cannot log in! Wrong credentials.')
    }
    return { token: fastify.issueToken(user), user }
  })
}

export default login
