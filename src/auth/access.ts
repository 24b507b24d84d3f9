import { forbidden, unauthenticated } from '../errors.js'
import type { Credentials } from './credentials.js'
import { describeSelector, type OrgSelector } from './cvat/organization.js'
import { actingPrincipal } from './delegation.js'
import type { AccountDirectory } from './directory.js'
import { orgSelectorOf } from './org-context.js'
import type { Access, Principal } from './principal.js'
import { sessionPrincipal, type BrowserSessions } from './session-auth.js'

/**
 * Turns what a request presents into who it is and where it works (400 for conflicting
 * organization inputs, 401, 403, and 503 when an identity provider cannot be asked, as coded errors).
 */
export interface Authenticator {
  access(credentials: Credentials): Promise<Access>
}

/**
 * Authenticates against the accounts file and places the request in the organization it names
 * (`org`, `X-Organization` or `org_id`, see orgSelectorOf). No or wrong credentials: 401. Naming an
 * organization the user is not a member of: 403 (admins may enter any existing one). With a grafana
 * token the request acts as the user `X-Grafana-User` names (see delegation.ts); other credentials
 * ignore that header. A browser session (`aa_session`, see session-auth.ts) signs its account in
 * when the request has no Authorization header.
 */
export function createAuthenticator(directory: AccountDirectory, sessions?: BrowserSessions): Authenticator {
  return {
    async access(credentials) {
      const selector = orgSelectorOf(credentials)
      // The Authorization header wins; without one, a browser session (the web pages' sign-in).
      let authenticated: Principal | null = null
      if (credentials.authorization !== null) {
        authenticated = await directory.authenticate(credentials.authorization)
      } else if (sessions) {
        await directory.refresh() // a removed user or a new password ends its sessions within a second
        authenticated = sessionPrincipal(directory, sessions, credentials)
      }
      if (!authenticated) throw unauthenticated()
      const principal = actingPrincipal(directory, authenticated, credentials.grafanaUser ?? null)
      return placeInAccountsFile(directory, principal, selector)
    },
  }
}

function placeInAccountsFile(
  directory: AccountDirectory,
  principal: Principal,
  selector: OrgSelector,
): Access {
  const memberOrgIds = directory.memberOrgIds(principal.user.id)
  const organizations = switchable(directory, principal, memberOrgIds)
  if (selector.kind === 'personal')
    return { principal, org: null, orgRole: null, memberOrgIds, organizations }
  const org =
    selector.kind === 'slug'
      ? directory.organizationBySlug(selector.slug)
      : directory.organizationById(selector.id)
  const isAdmin = principal.user.role === 'admin'
  const named = describeSelector(selector)
  const orgRole = org ? (directory.membershipRole(org.id, principal.user.id) ?? null) : null
  if (!org && isAdmin) throw forbidden(`organization ${named} does not exist`)
  // One message whether the organization exists or not: it must not be a way to learn slugs.
  if (!org || (!orgRole && !isAdmin)) {
    throw forbidden(`organization ${named} does not exist or you are not a member of it`)
  }
  return { principal, org, orgRole, memberOrgIds, organizations }
}

/** The organizations a user may work in, as CVAT's switcher lists them: its memberships; for admins, every one. */
function switchable(
  directory: AccountDirectory,
  principal: Principal,
  memberOrgIds: readonly string[],
): NonNullable<Access['organizations']> {
  const orgs =
    principal.user.role === 'admin'
      ? directory.organizations()
      : memberOrgIds.flatMap((id) => directory.organizationById(id) ?? [])
  return orgs.map((org) => ({ org, role: directory.membershipRole(org.id, principal.user.id) ?? null }))
}
