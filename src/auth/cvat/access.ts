import type { Access, Principal } from '../principal.js'
import type { CvatUnavailableReason } from './errors.js'
import type { CvatCredential } from './credential.js'
import type { CvatIdentity } from './identity.js'
import type { CvatIdentityResolver, CvatResolution } from './identity-cache.js'
import {
  describeSelector,
  placeInOrganization,
  type OrganizationFinder,
  type OrgSelector,
} from './organization.js'

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

/** The token id a CVAT personal access token gets in a Principal (CVAT's own token id is not asked). */
export const CVAT_PAT_TOKEN_ID = 'cvat-pat'

/** When CVAT vouched for an identity, and until when that is trusted without asking again. */
export interface CvatConfirmation {
  readonly confirmedAtMs: number
  readonly freshUntilMs: number
}

/**
 * A CVAT identity as this service's Principal:
 * - a personal access token becomes a `read` token: it may query and export but not send events,
 *   which is CVAT's rule for PATs; a legacy `Token` key, a session or a password act as the user;
 * - `role` is CVAT's privilege, null for a user in none of CVAT's role groups: the policy
 *   (policy.ts, with CVAT's rules from rules.ts) lets such a user send events but not view them.
 */
export function cvatPrincipal(identity: CvatIdentity, confirmation: CvatConfirmation): Principal {
  return {
    user: {
      id: identity.userId,
      username: identity.username,
      email: identity.email,
      role: identity.privilege,
    },
    token: identity.credential === 'bearer' ? { id: CVAT_PAT_TOKEN_ID, kind: 'read' } : null,
    source: {
      kind: 'cvat',
      identity,
      confirmedAtMs: confirmation.confirmedAtMs,
      freshUntilMs: confirmation.freshUntilMs,
    },
  }
}
