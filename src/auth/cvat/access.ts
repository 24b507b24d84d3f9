import type { Access } from '../principal.js'
import type { CvatCredential } from './credential.js'
import type { OrganizationFinder } from './org-finder.js'
import { describeSelector, type OrgSelector } from './org-selector.js'
import { placeInOrganization } from './placement.js'
import { cvatPrincipal } from './principal.js'
import type { CvatIdentityResolver, CvatResolution } from './resolver.js'
import type { CvatUnavailableReason } from './errors.js'

/** The outcome of authenticating a request by CVAT and placing it in its organization context. */
export type CvatAccessOutcome =
  | {
      readonly kind: 'granted'
      readonly access: Access
      readonly resolution: Extract<CvatResolution, { kind: 'authenticated' }>
    }
  /** 401: CVAT does not know the credential. */
  | { readonly kind: 'unauthenticated'; readonly detail: string }
  /** 503 with `Retry-After: retryAfterS`: CVAT could not be asked; the credential may be fine. */
  | { readonly kind: 'unavailable'; readonly reason: CvatUnavailableReason; readonly retryAfterS: number }
  /** 403: the organization named is not one the caller may work in. */
  | { readonly kind: 'forbidden'; readonly message: string }

/**
 * Credential and org selector in, Access (or why not) out: resolves the identity (cache or CVAT),
 * then places it in the organization the request names (see placeInOrganization).
 */
export async function resolveCvatAccess(
  deps: { readonly resolver: CvatIdentityResolver; readonly finder: OrganizationFinder },
  credential: CvatCredential,
  selector: OrgSelector,
): Promise<CvatAccessOutcome> {
  const resolution = await deps.resolver.resolve(credential)
  if (resolution.kind !== 'authenticated') return resolution
  const principal = cvatPrincipal(resolution.identity, resolution)
  // The organizations the caller is an active member of, which a filter may name outside an org context.
  const memberOrgIds = resolution.identity.memberships.map((m) => m.orgId)
  const granted = (access: Omit<Access, 'memberOrgIds'>): CvatAccessOutcome => ({
    kind: 'granted',
    access: { ...access, memberOrgIds },
    resolution,
  })
  const placement = placeInOrganization(resolution.identity, selector)
  if (placement.kind === 'forbidden') return placement
  if (placement.kind === 'placed')
    return granted({ principal, org: placement.org, orgRole: placement.orgRole })
  if (selector.kind === 'personal') return granted({ principal, org: null, orgRole: null })
  const finding = await deps.finder.find(credential, selector)
  if (finding.kind === 'found') return granted({ principal, org: finding.org, orgRole: null })
  if (finding.kind === 'missing') {
    return { kind: 'forbidden', message: `organization ${describeSelector(selector)} does not exist` }
  }
  return finding
}
