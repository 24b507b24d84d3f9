import type { CvatIdentity } from './cvat/identity.js'
import type { Access, Principal } from './principal.js'

/**
 * Where a principal's identity came from, for `viewer` and for the rules that differ by source.
 * Proposed addition to `Principal` (issue 15): kept beside it until the request context is wired.
 */
export type IdentitySource =
  | { readonly kind: 'accounts-file' }
  | {
      readonly kind: 'cvat'
      /** What CVAT resolved: privilege (possibly null), superuser, memberships, credential kind. */
      readonly identity: CvatIdentity
      /** When CVAT last confirmed it (a cached identity is at most the TTL old, plus grace in outages). */
      readonly confirmedAtMs: number
    }

/** A principal that says where it came from. */
export interface SourcedPrincipal extends Principal {
  readonly source: IdentitySource
}

/** An Access whose principal says where it came from. */
export interface SourcedAccess extends Access {
  readonly principal: SourcedPrincipal
}
