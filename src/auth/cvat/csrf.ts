import { timingSafeEqual } from 'node:crypto'
import { cookieValue } from './credential.js'

/** CVAT's CSRF cookie (`CSRF_COOKIE_NAME`) and the header its UI sends the token in. */
export const CSRF_COOKIE = 'csrftoken'
export const CSRF_HEADER = 'x-csrftoken'

/** Django's alphabet for CSRF secrets and masks, in its order (ascii_letters, then digits). */
const CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'
const SECRET_LENGTH = 32
const TOKEN = /^[A-Za-z0-9]+$/

/**
 * Django's CSRF check for a session-authenticated, state-changing request, done here rather than
 * by asking CVAT (Django compares cookie and header, it keeps no server-side copy): the
 * `X-CSRFToken` header must carry the secret of the `csrftoken` cookie, either as is (32 chars) or
 * masked (64 chars: a mask, then the secret shifted by it). Constant-time. Django also checks the
 * `Origin` header against its trusted origins; that check belongs with CORS in the transport.
 */
export function csrfTokenMatches(
  cookieHeader: string | null | undefined,
  headerToken: string | null | undefined,
) {
  const cookie = cookieValue(cookieHeader, CSRF_COOKIE)
  const secret = cookie === null ? null : secretOf(cookie)
  const sent = headerToken ? secretOf(headerToken.trim()) : null
  if (secret === null || sent === null) return false
  return timingSafeEqual(Buffer.from(secret), Buffer.from(sent))
}

/** The secret a token carries: itself when 32 characters, unmasked when 64; null when malformed. */
function secretOf(token: string): string | null {
  if (!TOKEN.test(token)) return null
  if (token.length === SECRET_LENGTH) return token
  if (token.length !== 2 * SECRET_LENGTH) return null
  const mask = token.slice(0, SECRET_LENGTH)
  const cipher = token.slice(SECRET_LENGTH)
  let secret = ''
  for (let i = 0; i < SECRET_LENGTH; i++) {
    const shifted = CHARS.indexOf(cipher.charAt(i)) - CHARS.indexOf(mask.charAt(i))
    secret += CHARS.charAt((shifted + CHARS.length) % CHARS.length)
  }
  return secret
}
