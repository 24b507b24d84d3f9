import { forbidden, unauthenticated } from '../errors.js'
import type { Credentials } from './credentials.js'
import { actingPrincipal } from './delegation.js'
import type { AccountDirectory } from './directory.js'
import type { Access } from './principal.js'

/** Turns what a request presents into who it is and where it works (401 and 403 as coded errors). */
export interface Authenticator {
  access(credentials: Credentials): Promise<Access>
}

/**
 * Authenticates against the accounts file and places the request in the organization it names.
 * No or wrong credentials: 401. Naming an organization the user is not a member of: 403 (admins
 * may enter any existing one). With a grafana token the request acts as the user `X-Grafana-User`
 * names (see delegation.ts); other credentials ignore that header.
 */
export function createAuthenticator(directory: AccountDirectory): Authenticator {
  return {
    async access({ authorization, orgSlug, grafanaUser }) {
      const authenticated = await directory.authenticate(authorization)
      if (!authenticated) throw unauthenticated()
      const principal = actingPrincipal(directory, authenticated, grafanaUser ?? null)
      if (!orgSlug) return { principal, org: null, orgRole: null }
      const org = directory.organizationBySlug(orgSlug)
      const isAdmin = principal.user.role === 'admin'
      const orgRole = org ? (directory.membershipRole(org.id, principal.user.id) ?? null) : null
      if (!org) {
        throw forbidden(
          isAdmin
            ? `organization '${orgSlug}' does not exist`
            : `organization '${orgSlug}' does not exist or you are not a member of it`,
        )
      }
      if (!orgRole && !isAdmin) throw forbidden(`you are not a member of organization '${orgSlug}'`)
      return { principal, org, orgRole }
    },
  }
}
