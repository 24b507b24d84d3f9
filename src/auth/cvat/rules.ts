import type { Visibility } from '../../domain/filter.js'
import type { Organization, OrgRole } from '../accounts-file.js'
import type { Access } from '../principal.js'
import type { CvatIdentity } from './identity.js'
import { hasOrgRole, hasPrivilege } from './roles.js'

/**
 * CVAT's access rules for events (docs/identity.md#cvats-rules-for-events: CVAT's `events.rego` and
 * the access-token plugin), as pure functions of who is asking and in which organization context.
 */

/** `send`: POST /api/events, logEvents. `view`: any read of events. `export`: CSV/JSON exports. */
export type EventAction = 'send' | 'view' | 'export'

export type Decision = { readonly allowed: true } | { readonly allowed: false; readonly reason: string }

/** A CVAT caller in an organization context (null: the personal workspace). */
export interface CvatAccessInput {
  readonly identity: CvatIdentity
  readonly org: Organization | null
  /** The caller's active membership role in `org`; null outside organizations or for a superuser visiting. */
  readonly orgRole: OrgRole | null
}

const ALLOWED: Decision = { allowed: true }

/**
 * Whether CVAT would let the caller do it:
 * - `send` (`send:events`): anyone authenticated, with any privilege (even none) — except with a
 *   personal access token, which CVAT's token plugin confines to exporting;
 * - `view`/`export` (`dump:events`, which CVAT applies to every read of events): admins always; in
 *   the personal workspace a privilege of worker or higher; in an organization a privilege of
 *   worker or higher and an active membership of any role. PATs may export (read-only ones too).
 */
export function cvatMay(action: EventAction, access: CvatAccessInput): Decision {
  const { identity } = access
  if (action === 'send') {
    if (identity.credential === 'bearer') {
      return { allowed: false, reason: 'personal access tokens may not send events (as in CVAT)' }
    }
    return ALLOWED
  }
  if (identity.privilege === 'admin') return ALLOWED
  if (!hasPrivilege(identity.privilege, 'worker')) {
    return {
      allowed: false,
      reason: 'you have no global role in CVAT (admin, user or worker), so no access to events',
    }
  }
  if (access.org && !hasOrgRole(access.orgRole, 'worker')) {
    return { allowed: false, reason: `you are not an active member of organization '${access.org.slug}'` }
  }
  return ALLOWED
}

/**
 * Which events the caller sees, CVAT's `events.filter`, in the shape the policy uses:
 *
 * | caller                                              | sees                         |
 * | admin, personal workspace                           | everything                   |
 * | admin in an organization                            | that organization's          |
 * | anyone else, personal workspace                     | its own                      |
 * | privilege user+, owner or maintainer of the org     | the organization's           |
 * | privilege user+, supervisor or worker of the org    | its own in that organization |
 * | privilege worker, any org role                      | its own in that organization |
 *
 * The last row is ours: CVAT's filter has no branch for it (its result is undefined there), and
 * the narrowest view that still shows their own work is the safe reading. Null when the caller
 * may not view events at all (see cvatMay).
 */
export function cvatVisibility(access: CvatAccessInput): Visibility | null {
  if (!cvatMay('view', access).allowed) return null
  const { identity, org } = access
  const own = { userId: identity.userId, userName: identity.username }
  if (identity.privilege === 'admin') return org ? { orgId: org.id } : {}
  if (!org) return own
  if (hasPrivilege(identity.privilege, 'user') && hasOrgRole(access.orgRole, 'maintainer')) {
    return { orgId: org.id }
  }
  return { orgId: org.id, ...own }
}

/** The rules' input for an Access whose identity came from CVAT; null for the accounts file's. */
export function cvatInputOf(access: Access): CvatAccessInput | null {
  const { source } = access.principal
  if (source.kind !== 'cvat') return null
  return { identity: source.identity, org: access.org, orgRole: access.orgRole }
}
