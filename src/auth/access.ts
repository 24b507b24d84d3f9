import { forbidden, unauthenticated } from '../errors.js'
import type { Credentials } from './credentials.js'
import type { AccountDirectory } from './directory.js'
import type { Access } from './principal.js'

/** Turns what a request presents into who it is and where it works (401 and 403 as coded errors). */
export interface Authenticator {
  access(credentials: Credentials): Promise<Access>
}

/**
 * Authenticates against the accounts file and places the request in the organization it names.
 * No or wrong credentials: 401. Naming an organization the user is not a member of: 403 (admins
 * may enter any existing one).
 */
export function createAuthenticator(directory: AccountDirectory): Authenticator {
  return {
    async access({ authorization, orgSlug }) {
      const principal = await directory.authenticate(authorization)
      if (!principal) throw unauthenticated()
      const memberOrgIds = directory.memberOrgIds(principal.user.id)
      if (!orgSlug) return { principal, org: null, orgRole: null, memberOrgIds }
      const org = directory.organizationBySlug(orgSlug)
      const isAdmin = principal.user.role === 'admin'
      const orgRole = org ? (directory.membershipRole(org.id, principal.user.id) ?? null) : null
      // One message whether the organization exists or not: it must not be a way to learn slugs.
      if (!org && isAdmin) throw forbidden(`organization '${orgSlug}' does not exist`)
      if (!org || (!orgRole && !isAdmin)) {
        throw forbidden(`organization '${orgSlug}' does not exist or you are not a member of it`)
      }
      return { principal, org, orgRole, memberOrgIds }
    },
  }
}
