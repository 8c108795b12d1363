import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { requireGitHub, startedFromPage } from '../../../../../plugins/github'
import { Redirect } from '../../../../../schemas/auth'
import { errorResponses } from '../../../../../schemas/common'
import { SignedIn } from '../../../../../schemas/users'

const gitHubCallback: FastifyPluginAsyncTypebox = async (fastify) => {
  const { accounts } = fastify.domain
  const appUrl = fastify.config.APP_URL?.replace(/\/+$/, '')

  fastify.get('/', {
    config: { access: 'public', credentials: true },
    schema: {
      summary: 'Where GitHub sends the browser back: signs the user in (or creates the invited user)',
      description: 'Started from the web app (/sign-in/github, /invitations/<token>/github): starts the session and redirects to /. Otherwise, with APP_URL set, redirects to APP_URL/auth/callback#token=<jwt>; else answers {token, user}.',
      tags: ['auth'],
      querystring: Type.Object({
        code: Type.Optional(Type.String()),
        state: Type.Optional(Type.String()),
        error: Type.Optional(Type.String()),
        error_description: Type.Optional(Type.String()),
        error_uri: Type.Optional(Type.String())
      }),
      response: { 200: SignedIn, 302: Redirect, 303: Redirect, ...errorResponses(400, 403, 404, 409, 410, 429, 502, 503) }
    }
  }, async (request, reply) => {
    const github = requireGitHub(fastify)
    const { account, invitationId } = await github.complete(request, reply)
    const user = invitationId ? accounts.joinWithGitHub(invitationId, account) : accounts.signInWithGitHub(account)
    if (startedFromPage(request, reply)) {
      reply.startSession(user)
      return reply.redirect('/', 303)
    }
    const token = fastify.issueToken(user)
    // In the fragment, the token never reaches a server log or a Referer header.
    if (appUrl) return reply.redirect(`${appUrl}/auth/callback#token=${token}`)
    return { token, user }
  })
}

export default gitHubCallback
