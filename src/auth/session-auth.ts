import { AppError } from '../errors.js'
import { checkSessionCsrf } from './csrf.js'
import type { Credentials } from './credentials.js'
import { cookieValue } from './cvat/credential.js'
import { principalOf, type AccountDirectory } from './directory.js'
import type { Principal } from './principal.js'
import { SESSION_COOKIE, type SessionSigner } from './sessions.js'

/** Browser sessions as the accounts file's authenticator accepts them. */
export interface BrowserSessions {
  readonly signer: SessionSigner
  /** SESSION_TTL_HOURS in milliseconds. */
  readonly ttlMs: number
  /** The clock sessions expire by (tests move it). */
  readonly now: () => number
  /** CORS_ORIGINS: pages there may send session-authenticated requests that change state. */
  readonly trustedOrigins: readonly string[]
}

/**
 * The account a request's session cookie (`aa_session`) signs in, or null when it has none (or
 * one this key did not sign: another credential may still apply). A session that expired, or
 * whose account was removed or got a new password since, is 401 with the reason, so the page
 * can say why it asks to sign in again. A session on a request that changes state must carry
 * its CSRF token (`X-CSRFToken`) and come from this host or CORS_ORIGINS: 403 otherwise.
 */
export function sessionPrincipal(
  directory: AccountDirectory,
  sessions: BrowserSessions,
  credentials: Credentials,
): Principal | null {
  const token = cookieValue(credentials.cookie, SESSION_COOKIE)
  if (token === null) return null
  const reading = sessions.signer.read(token, sessions.now())
  if (!reading.ok) {
    if (reading.reason === 'expired') throw sessionEnded('your session expired; sign in again', 'expired')
    return null
  }
  const { claims } = reading
  const user = directory.userById(claims.uid)
  if (!user || !sessions.signer.passwordUnchanged(claims, user.passwordHash)) {
    throw sessionEnded('your session ended (the account changed); sign in again', 'ended')
  }
  checkSessionCsrf(
    credentials.csrf,
    (sent) => sessions.signer.csrfMatches(claims, sent),
    sessions.trustedOrigins,
  )
  return principalOf(user, null)
}

/** 401 with `extensions.session` (`expired`, `ended`): the page tells why it asks to sign in again. */
function sessionEnded(message: string, session: 'expired' | 'ended') {
  return new AppError('UNAUTHENTICATED', 401, message, { session })
}
