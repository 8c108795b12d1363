import { createHash } from 'node:crypto'

/** How a secret token is kept: its SHA-256, in hex. The token itself is never stored. */
export const tokenHash = (token: string): string => createHash('sha256').update(token).digest('hex')
