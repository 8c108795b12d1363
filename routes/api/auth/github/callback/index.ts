import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { requireGitHub } from '../../../../../plugins/github'
import { errors } from '../../../../schemas'
import { SignedIn } from '../../../users/schemas'
import { authRateLimit } from '../../rate-limit'
import { gitHubAccounts } from '../accounts'
import { Redirect } from '../schemas'

const gitHubCallback: FastifyPluginAsyncTypebox = async (fastify) => {
  const accounts = gitHubAccounts(fastify)
  const appUrl = fastify.config.APP_URL?.replace(/\/+$/, '')

  fastify.get('/', {
    config: { public: true, rateLimit: authRateLimit(fastify) },
    schema: {
      summary: 'Where GitHub sends the browser back: signs the user in (or creates the invited user)',
      description: 'With APP_URL set, redirects to APP_URL/auth/callback#token=<jwt>; otherwise answers {token, user}.',
      tags: ['auth'],
      querystring: Type.Object({
        code: Type.Optional(Type.String()),
        state: Type.Optional(Type.String()),
        error: Type.Optional(Type.String()),
        error_description: Type.Optional(Type.String())
      }),
      response: { 200: SignedIn, 302: Redirect, ...errors(400, 403, 404, 409, 410, 429, 502, 503) }
    }
  }, async (request, reply) => {
    const github = requireGitHub(fastify)
    const { account, invitationId } = await github.complete(request, reply)
    const user = invitationId ? accounts.acceptInvitation(invitationId, account) : accounts.signIn(account)
    const token = fastify.issueToken(user)
    // In the fragment, the token never reaches a server log or a Referer header.
    if (appUrl) return reply.redirect(`${appUrl}/auth/callback#token=${token}`)
    return { token, user }
  })
}

export default gitHubCallback
