import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Body, errorResponses } from '../../../../schemas/common'
import { SignedIn } from '../../../../schemas/users'

const WRONG_CREDENTIALS = { statusCode: 400, error: 'Login failed. Wrong credentials!' }

const login: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post('/', {
    config: {
      access: 'public',
      credentials: true,
      whenAbsent: { email: WRONG_CREDENTIALS, password: WRONG_CREDENTIALS }
    },
    schema: {
      summary: 'Sign in with email and password',
      tags: ['auth'],
      body: Body({ email: Type.String({ minLength: 1, maxLength: 254 }), password: Type.String({ minLength: 1 }) }),
      response: { 200: SignedIn, ...errorResponses(400, 401, 404, 429) }
    }
  }, async (request) => {
    const user = await fastify.domain.accounts.logIn(request.body.email, request.body.password)
    return { token: fastify.issueToken(user), user }
  })
}

export default login
