import { forbidden, unauthenticated } from '../errors.js'
import { actingPrincipal } from './delegation.js'
import type { AccountDirectory } from './directory.js'
import type { Access } from './principal.js'

/**
 * Authenticates a request and places it in the organization it names. No or wrong credentials:
 * 401. Naming an organization the user is not a member of: 403 (admins may enter any existing one).
 * `grafanaUser` is the `X-Grafana-User` header: with a grafana token the request acts as that
 * user (see delegation.ts); with any other credential it is ignored.
 */
export async function resolveAccess(
  directory: AccountDirectory,
  authorization: string | null,
  orgSlug: string | null,
  grafanaUser: string | null = null,
): Promise<Access> {
  const authenticated = await directory.authenticate(authorization)
  if (!authenticated) throw unauthenticated()
  const principal = actingPrincipal(directory, authenticated, grafanaUser)
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
}
