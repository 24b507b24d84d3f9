import { forbidden, unauthenticated } from '../errors.js'
import type { AccountDirectory } from './directory.js'
import type { Access } from './principal.js'

/**
 * Authenticates a request and places it in the organization it names. No or wrong credentials:
 * 401. Naming an organization the user is not a member of: 403 (admins may enter any existing one).
 */
export async function resolveAccess(
  directory: AccountDirectory,
  authorization: string | null,
  orgSlug: string | null,
): Promise<Access> {
  const principal = await directory.authenticate(authorization)
  if (!principal) throw unauthenticated()
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
