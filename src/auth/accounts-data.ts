/** Global roles (CVAT's): admins see everything; the others see what their memberships allow. */
export const GLOBAL_ROLES = ['admin', 'user', 'worker'] as const
export type GlobalRole = (typeof GLOBAL_ROLES)[number]

/** Organization roles (CVAT's): owners and maintainers see the org's events, the others their own. */
export const ORG_ROLES = ['owner', 'maintainer', 'supervisor', 'worker'] as const
export type OrgRole = (typeof ORG_ROLES)[number]

/**
 * `ingest`: may send server events with any identity. `read`: may query and export as its user.
 * `grafana`: may only read on behalf of the user named in `X-Grafana-User` (see delegation.ts).
 * `metrics`: may only scrape `GET /metrics` (Prometheus); it reads no events and sends none.
 */
export const TOKEN_KINDS = ['ingest', 'read', 'grafana', 'metrics'] as const
export type TokenKind = (typeof TOKEN_KINDS)[number]

/** Ids are decimal strings: they are the host application's (CVAT's) user and organization ids. */
export interface UserAccount {
  readonly id: string
  readonly username: string
  readonly email: string | null
  readonly role: GlobalRole
  readonly passwordHash: string
  readonly createdAt: string
}

export interface Organization {
  readonly id: string
  readonly slug: string
  readonly name: string
}

export interface Membership {
  readonly orgId: string
  readonly userId: string
  readonly role: OrgRole
}

export interface ApiToken {
  readonly id: string
  readonly userId: string
  readonly kind: TokenKind
  readonly name: string
  /** sha256 of the token; the token itself is shown once, when created. */
  readonly hash: string
  readonly createdAt: string
  readonly revokedAt: string | null
}

export interface AccountsData {
  readonly version: 1
  readonly users: readonly UserAccount[]
  readonly organizations: readonly Organization[]
  readonly memberships: readonly Membership[]
  readonly tokens: readonly ApiToken[]
}

export const EMPTY_ACCOUNTS: AccountsData = {
  version: 1,
  users: [],
  organizations: [],
  memberships: [],
  tokens: [],
}

/** The next free numeric id in a list (ids may also be given explicitly, to match CVAT's). */
export function nextId(items: readonly { id: string }[]): string {
  return String(items.reduce((max, item) => (BigInt(item.id) > max ? BigInt(item.id) : max), 0n) + 1n)
}
