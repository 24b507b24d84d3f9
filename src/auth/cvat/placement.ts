import type { Organization, OrgRole } from '../accounts-file.js'
import type { CvatIdentity } from './identity.js'
import { describeSelector, type OrgSelector } from './org-selector.js'

/** The organization context of a CVAT caller, or why it may not have the one it asked for. */
export type OrgPlacement =
  | { readonly kind: 'placed'; readonly org: Organization | null; readonly orgRole: OrgRole | null }
  /** A superuser naming an organization it is not a member of: CVAT must say which one that is. */
  | { readonly kind: 'look-up' }
  /** 403. */
  | { readonly kind: 'forbidden'; readonly message: string }

/**
 * Places a caller in the organization its request names, by CVAT's rule (`get_iam_context`): only
 * an active membership gives a context, except for superusers, who may enter any organization.
 *
 * An organization that does not exist is 403 too, where CVAT answers 404: we cannot tell "does not
 * exist" from "exists, you are not in it" without asking CVAT with more rights than the caller
 * has, a 404 would tell any user which slugs exist, and the accounts-file path answers 403 as well.
 */
export function placeInOrganization(identity: CvatIdentity, selector: OrgSelector): OrgPlacement {
  if (selector.kind === 'personal') return { kind: 'placed', org: null, orgRole: null }
  const membership = identity.memberships.find((m) =>
    selector.kind === 'slug' ? m.slug === selector.slug : m.orgId === selector.id,
  )
  if (membership) {
    return {
      kind: 'placed',
      org: { id: membership.orgId, slug: membership.slug, name: membership.name },
      orgRole: membership.role,
    }
  }
  if (identity.isSuperuser) return { kind: 'look-up' }
  return {
    kind: 'forbidden',
    message: `organization ${describeSelector(selector)} does not exist or you are not an active member of it`,
  }
}
