import type { GlobalRole, OrgRole } from '../accounts-file.js'

/**
 * CVAT's role orders (docs/identity.md#who-the-caller-is,
 * docs/identity.md#organizations-and-memberships): `IAM_ROLES` lists global roles from the highest,
 * and rego's priorities rank organization roles. A lower index is more power.
 */
const PRIVILEGES: readonly GlobalRole[] = ['admin', 'user', 'worker']
const ORG_RANK: Readonly<Record<OrgRole, number>> = { owner: 0, maintainer: 50, supervisor: 75, worker: 100 }

/**
 * The global role ("privilege") CVAT's policy sees: the highest of admin, user, worker among the
 * user's Django groups; null when none is there (CVAT then allows only what needs no privilege).
 * `is_superuser` does not count here: CVAT's signals put superusers in `admin` already.
 */
export function privilegeOf(groups: readonly string[]): GlobalRole | null {
  return PRIVILEGES.find((role) => groups.includes(role)) ?? null
}

/** rego's `utils.has_perm(required)`: the privilege is `required` or higher; null has none. */
export function hasPrivilege(privilege: GlobalRole | null, required: GlobalRole): boolean {
  return privilege !== null && PRIVILEGES.indexOf(privilege) <= PRIVILEGES.indexOf(required)
}

/** rego's `organizations.has_perm(required)`: the org role is `required` or higher. */
export function hasOrgRole(role: OrgRole | null, required: OrgRole): boolean {
  return role !== null && ORG_RANK[role] <= ORG_RANK[required]
}
