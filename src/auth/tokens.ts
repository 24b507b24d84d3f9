import { createHash, randomBytes } from 'node:crypto'

/** API tokens look like `aat_<43 base64url chars>`; the prefix makes leaked tokens easy to find. */
const PREFIX = 'aat_'

export function newToken(): string {
  return `${PREFIX}${randomBytes(32).toString('base64url')}`
}

/**
 * Tokens carry 256 random bits, so a fast hash is enough to make the stored form useless to a
 * reader of the accounts file (a slow hash protects guessable secrets; these are not guessable).
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

export function looksLikeToken(value: string): boolean {
  return value.startsWith(PREFIX) && value.length > PREFIX.length + 20
}
