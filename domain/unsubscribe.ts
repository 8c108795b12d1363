import { createHmac, timingSafeEqual } from 'node:crypto'
import { forbidden, invalid } from './errors'

// Binds a signature to its use: a signature made for another purpose with the same secret never fits.
const PURPOSE = 'mentormatchr unsubscribe v1:'
const TOKEN = /^(\d{1,15})\.([\w-]{43})$/

/**
 * The token of a person's unsubscribe link: their user id and an HMAC-SHA256 of it, keyed with the
 * installation's JWT secret and bound to this purpose. It works without signing in, only for that
 * person (the id cannot be changed without the secret), and never expires, as unsubscribe links
 * must not; changing JWT_SECRET voids every link already sent.
 */
export function unsubscribeTokens (secret: string) {
  const signatureOf = (userId: number) => createHmac('sha256', secret).update(PURPOSE + userId).digest('base64url')
  return {
    tokenFor: (userId: number): string => `${userId}.${signatureOf(userId)}`,

    /** The person the token was made for: 400 when it is not a token at all, 403 when its signature does not fit. */
    userOf (token: string): number {
      const parts = TOKEN.exec(token)
      if (!parts) throw invalid('This unsubscribe link is not valid: copy the whole link from the email')
      const userId = Number(parts[1])
      if (!timingSafeEqual(Buffer.from(parts[2]!), Buffer.from(signatureOf(userId)))) throw forbidden('This unsubscribe link is not valid')
      return userId
    }
  }
}
