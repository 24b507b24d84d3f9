import type { GlobalRole, OrgRole } from '../accounts-file.js'
import type { CvatCredential, CvatCredentialKind } from './credential.js'
import type { CvatMembership, CvatOrganization, CvatUser } from './responses.js'
import { privilegeOf } from './roles.js'
import type { CvatClient } from './client.js'

/** An organization the caller is an active member of, with the slug requests name it by. */
export interface CvatOrgMembership {
  readonly orgId: string
  readonly slug: string
  readonly name: string
  readonly role: OrgRole
}

/**
 * Who CVAT says the caller is, as CVAT's own rules see it. Ids are decimal strings, as everywhere
 * in this service (events carry CVAT's ids, so nothing needs mapping).
 */
export interface CvatIdentity {
  readonly userId: string
  readonly username: string
  readonly email: string | null
  /** The highest of admin, user, worker among the user's groups; null when none (as CVAT). */
  readonly privilege: GlobalRole | null
  /** Superusers may enter organizations they are not members of (CVAT's `get_iam_context`). */
  readonly isSuperuser: boolean
  /** CVAT's per-user switch for Grafana (`/analytics`), for the Grafana gate. */
  readonly hasAnalyticsAccess: boolean
  /** Active memberships only: an invitation not yet accepted gives no role, as in CVAT. */
  readonly memberships: readonly CvatOrgMembership[]
  /** How the caller authenticated; a PAT (`bearer`) may not send events, as in CVAT. */
  readonly credential: CvatCredentialKind
}

/**
 * Maps CVAT's answers to an identity. Memberships that are inactive, belong to another user (an
 * admin's list is system-wide), or whose organization CVAT did not show are left out.
 */
export function toIdentity(
  user: CvatUser,
  memberships: readonly CvatMembership[],
  organizations: readonly CvatOrganization[],
  credential: CvatCredentialKind,
): CvatIdentity {
  const orgs = new Map(organizations.map((o) => [o.id, o]))
  const seen = new Set<number>()
  const own: CvatOrgMembership[] = []
  for (const m of memberships) {
    const org = orgs.get(m.orgId)
    if (!m.isActive || m.userId !== user.id || !org || seen.has(org.id)) continue
    seen.add(org.id)
    own.push({ orgId: String(org.id), slug: org.slug, name: org.name, role: m.role })
  }
  return {
    userId: String(user.id),
    username: user.username,
    email: user.email === '' ? null : user.email,
    privilege: privilegeOf(user.groups),
    isSuperuser: user.isSuperuser,
    hasAnalyticsAccess: user.hasAnalyticsAccess,
    memberships: own,
    credential,
  }
}

/** The organization ids whose slugs `toIdentity` will need: those of the user's active memberships. */
export function organizationsToRead(user: CvatUser, memberships: readonly CvatMembership[]): number[] {
  return [...new Set(memberships.filter((m) => m.isActive && m.userId === user.id).map((m) => m.orgId))]
}

/** Organizations read at once; most users have one or two, an admin may have many. */
const ORG_READS_AT_ONCE = 4

/**
 * Asks CVAT who the credential belongs to: `/api/users/self`, then the user's memberships (all
 * pages), then the slug of each organization it is an active member of. Every call carries only
 * this credential; errors are the client's (unauthenticated or unavailable).
 */
export async function lookUpIdentity(client: CvatClient, credential: CvatCredential): Promise<CvatIdentity> {
  const user = await client.self(credential)
  const memberships = await client.memberships(credential, user.username)
  const ids = organizationsToRead(user, memberships)
  const organizations: CvatOrganization[] = []
  for (let i = 0; i < ids.length; i += ORG_READS_AT_ONCE) {
    const batch = ids.slice(i, i + ORG_READS_AT_ONCE)
    const read = await Promise.all(batch.map((id) => client.organization(credential, id)))
    organizations.push(...read.filter((o): o is CvatOrganization => o !== null))
  }
  return toIdentity(user, memberships, organizations, credential.kind)
}
