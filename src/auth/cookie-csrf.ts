import { forbidden } from '../errors.js'
import type { CsrfInputs } from './credentials.js'
import { CSRF_COOKIE, csrfTokenMatches } from './cvat/csrf.js'
import { cookieValue } from './cvat/cookies.js'

/**
 * Django's CSRF check, as CVAT applies it to a request authenticated by its session cookie: a
 * request that may change state must carry the `csrftoken` cookie's secret in `X-CSRFToken`, and,
 * when the browser says where it comes from (`Origin`), come from this host or from one of
 * `trustedOrigins` (CORS_ORIGINS). A page of another site can make a browser send the cookie but
 * can neither read it nor set the header, so the pair proves the request came from a page that may.
 * FORBIDDEN (403) with Django's wording otherwise. Requests that change nothing pass.
 */
export function checkCookieCsrf(
  cookie: string | null,
  csrf: CsrfInputs,
  trustedOrigins: readonly string[],
): void {
  if (!csrf.changesState) return
  checkOrigin(csrf, trustedOrigins)
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
  checkOrigin(csrf, trustedOrigins)
  if (!csrf.token) {
    throw forbidden(
      "CSRF Failed: CSRF token missing. A request signed in by the session cookie that changes state sends the aa_csrftoken cookie's value in X-CSRFToken.",
    )
  }
  if (!matches(csrf.token)) throw forbidden('CSRF Failed: CSRF token incorrect.')
}

function checkOrigin(csrf: CsrfInputs, trustedOrigins: readonly string[]): void {
  if (csrf.origin !== null && !originAllowed(csrf.origin, csrf.host, trustedOrigins)) {
    throw forbidden(
      `CSRF Failed: Origin checking failed - ${csrf.origin} does not match any trusted origins.`,
    )
  }
}

/**
 * Same host (the scheme is not compared: behind a TLS-terminating proxy the service sees http
 * where the browser says https), or exactly one of the configured origins.
 */
function originAllowed(origin: string, host: string, trustedOrigins: readonly string[]): boolean {
  if (trustedOrigins.includes(origin)) return true
  try {
    return new URL(origin).host === host.toLowerCase()
  } catch {
    return false
  }
}
