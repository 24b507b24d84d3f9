import { AppError, forbidden, identityUnavailable, unauthenticated } from '../errors.js'
import type { Authenticator } from './access.js'
import { checkCookieCsrf } from './csrf.js'
import { CvatCredential } from './cvat/credential.js'
import type { CvatIdentityProvider } from './cvat/provider.js'
import { orgSelectorOf } from './org-context.js'

export interface IdentityChainOptions {
  /** The accounts file's authenticator (createAuthenticator): asked first. */
  readonly accounts: Authenticator
  /** Whether the accounts file has a user of this name: its basic credentials never go to CVAT. */
  readonly knowsUsername: (username: string) => boolean
  /** CVAT (`CVAT_URL`), for the credentials the accounts file does not accept. */
  readonly cvat: CvatIdentityProvider
  /** `CORS_ORIGINS`: pages there, besides this host's own, may send cookie-authenticated mutations. */
  readonly trustedOrigins: readonly string[]
}

/**
 * The accounts file, then CVAT:
 * 1. the organization inputs are read once, by CVAT's rules (400 on conflict), for both sources;
 * 2. credentials the accounts file accepts are its own: our API tokens (a grafana token acting for
 *    the accounts-file user its X-Grafana-User names, see delegation.ts), the bootstrap admin and
 *    the users it lists. Its answer stands, 403 included;
 * 3. a password for a username the accounts file lists is refused there and then (401), without
 *    asking CVAT: the accounts file wins for the names it knows, so a CVAT user of the same name
 *    cannot sign in as that user here, and a wrong guess at it never reaches CVAT;
 * 4. anything else CVAT would take (basic, `Token`, `Bearer` PAT, the `sessionid` cookie) is asked
 *    of CVAT (cached, see src/auth/cvat/): CVAT's 401 is 401, an organization the caller is not an
 *    active member of 403, CVAT unreachable or failing 503 with Retry-After. A session that
 *    authenticated must pass CVAT's CSRF check when the request changes state.
 */
export function createIdentityChain(options: IdentityChainOptions): Authenticator {
  const { accounts, knowsUsername, cvat, trustedOrigins } = options
  return {
    async access(credentials) {
      const selector = orgSelectorOf(credentials)
      try {
        return await accounts.access(credentials)
      } catch (error) {
        if (!(error instanceof AppError) || error.code !== 'UNAUTHENTICATED') throw error
        const credential = CvatCredential.fromHeaders(credentials.authorization, credentials.cookie)
        if (credential === null) throw error
        if (credential.username !== null && knowsUsername(credential.username)) throw error
        const outcome = await cvat.authenticate(credential, selector)
        switch (outcome.kind) {
          case 'granted':
            if (credential.kind === 'session') {
              checkCookieCsrf(credentials.cookie, credentials.csrf, trustedOrigins)
            }
            return outcome.access
          case 'unauthenticated':
            throw unauthenticated(`CVAT did not accept the credentials: ${outcome.detail}`)
          case 'forbidden':
            throw forbidden(outcome.message)
          case 'unavailable':
            throw identityUnavailable(outcome.retryAfterS, outcome.reason)
        }
      }
    },
  }
}
