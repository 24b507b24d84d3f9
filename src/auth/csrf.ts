import { forbidden } from '../errors.js'
import type { CsrfInputs } from './credentials.js'
import { CSRF_COOKIE, csrfTokenMatches } from './cvat/csrf.js'
import { cookieValue } from './cvat/credential.js'

/**
 * The service's one cross-site request forgery rule, asked by every path that decides: the
 * pipeline's guard (bodies a page of another site could send), the cookie check below (CVAT's
 * session cookie), and the WebSocket upgrade (which pages may open sockets).
 */

/** Methods that change nothing (RFC 9110 §9.2.1, and Django's CSRF exemption): GET, HEAD, OPTIONS, TRACE. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE'])

/**
 * Whether a request may change state. A transport without a method (a WebSocket, which can carry
 * mutations) counts as one that may.
 */
export function changesState(method: string | undefined): boolean {
  return method === undefined || !SAFE_METHODS.has(method.toUpperCase())
}

/**
 * Whether a page at `origin` may send this request: it names the host the request was addressed
 * to (compared without the scheme, which a TLS-terminating proxy changes, and without case), or
 * it is exactly one of `trustedOrigins` (CORS_ORIGINS).
 */
export function originAllowed(origin: string, host: string, trustedOrigins: readonly string[]): boolean {
  if (trustedOrigins.includes(origin)) return true
  try {
    return new URL(origin).host === host.toLowerCase()
  } catch {
    return false
  }
}

/**
 * Django's CSRF check, as CVAT applies it to a request authenticated by its session cookie: a
 * request that may change state must carry the `csrftoken` cookie's secret in `X-CSRFToken`, and,
 * when the browser says where it comes from (`Origin`), come from an allowed origin (above). A page
 * of another site can make a browser send the cookie but can neither read it nor set the header,
 * so the pair proves the request came from a page that may. FORBIDDEN (403) with Django's wording
 * otherwise. Requests that change nothing pass.
 */
export function checkCookieCsrf(
  cookie: string | null,
  csrf: CsrfInputs,
  trustedOrigins: readonly string[],
): void {
  if (!csrf.changesState) return
  if (csrf.origin !== null && !originAllowed(csrf.origin, csrf.host, trustedOrigins)) {
    throw forbidden(
      `CSRF Failed: Origin checking failed - ${csrf.origin} does not match any trusted origins.`,
    )
  }
  if (cookieValue(cookie, CSRF_COOKIE) === null) {
    throw forbidden(
      "CSRF Failed: CSRF cookie not set. A request signed in by the CVAT session that changes state needs CVAT's csrftoken cookie and its value in X-CSRFToken.",
    )
  }
  if (!csrf.token) {
    throw forbidden(
      "CSRF Failed: CSRF token missing. Send the csrftoken cookie's value in the X-CSRFToken header, as CVAT's UI does.",
    )
  }
  if (!csrfTokenMatches(cookie, csrf.token)) throw forbidden('CSRF Failed: CSRF token incorrect.')
}

/**
 * The same check for this service's own browser session (src/auth/sessions.ts): the token its
 * pages send in `X-CSRFToken` is derived from the session by the server's key (`matches` tells),
 * so no CSRF cookie needs comparing; the Origin rule is the same.
 */
export function checkSessionCsrf(
  csrf: CsrfInputs,
  matches: (token: string | null) => boolean,
  trustedOrigins: readonly string[],
): void {
  if (!csrf.changesState) return
  if (csrf.origin !== null && !originAllowed(csrf.origin, csrf.host, trustedOrigins)) {
    throw forbidden(
      `CSRF Failed: Origin checking failed - ${csrf.origin} does not match any trusted origins.`,
    )
  }
  if (!csrf.token) {
    throw forbidden(
      "CSRF Failed: CSRF token missing. A request signed in by the session cookie that changes state sends the aa_csrftoken cookie's value in X-CSRFToken.",
    )
  }
  if (!matches(csrf.token)) throw forbidden('CSRF Failed: CSRF token incorrect.')
}
