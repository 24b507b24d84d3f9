import type { GlobalRole, Organization, OrgRole, TokenKind } from './accounts-file.js'
import type { IdentitySource } from './identity-source.js'

/** Who is calling: a user, possibly through one of its API tokens. */
export interface Principal {
  readonly user: {
    readonly id: string
    readonly username: string
    readonly email: string | null
    /**
     * The global role. Null only for a CVAT user in none of CVAT's role groups (admin, user,
     * worker): as in CVAT, such a user may send events but not read them.
     */
    readonly role: GlobalRole | null
  }
  /** Set when the request authenticated with an API token (a CVAT personal access token is a `read` one). */
  readonly token: { readonly id: string; readonly kind: TokenKind } | null
  /** The accounts file or CVAT. */
  readonly source: IdentitySource
}

/** A principal in the organization context its request named (X-Organization or `org`). */
export interface Access {
  readonly principal: Principal
  readonly org: Organization | null
  /** The principal's membership role in `org`; null for admins who are not members. */
  readonly orgRole: OrgRole | null
  /**
   * Ids of every organization the principal is a member of. Outside an organization context a
   * non-admin sees its own events in any of them, and naming any other organization in a filter
   * is FORBIDDEN. Absent: no organization may be named there (the policy fails closed).
   */
  readonly memberOrgIds?: readonly string[]
  /**
   * The organizations the principal may switch to (the web pages' switcher): its memberships with
   * their roles; an accounts-file admin's are every organization (role null where not a member).
   * Absent where the source lists them itself (CVAT: `source.identity.memberships`).
   */
  readonly organizations?: readonly { readonly org: Organization; readonly role: OrgRole | null }[]
}

/** Users send client events; API tokens do not (docs/cvat-compatibility.md#who-sees-what). */
export function canSendClientEvents(principal: Principal): boolean {
  return principal.token === null
}

/** Ingest tokens send server events with any identity; so may an admin with its password. */
export function canSendServerEvents(principal: Principal): boolean {
  return principal.token === null ? principal.user.role === 'admin' : principal.token.kind === 'ingest'
}

/**
 * Users and read tokens query and export; ingest tokens only write. A grafana token's principal
 * is the user it acts for (the authenticator refuses the token on its own), so it reads as that user.
 */
export function canRead(principal: Principal): boolean {
  return principal.token === null || principal.token.kind === 'read' || principal.token.kind === 'grafana'
}

/** Why a token may not read: names its kind, so a misplaced ingest or metrics token is obvious. */
export function readRefusal(principal: Principal, what: string): string {
  return `${principal.token?.kind ?? 'these'} tokens may not read ${what}; use a read token`
}

/**
 * `GET /metrics`: a `metrics` token (what Prometheus is given), or an admin signing in as itself
 * (a password or CVAT session, not an API token of another kind).
 */
export function canScrapeMetrics(principal: Principal): boolean {
  if (principal.token !== null) return principal.token.kind === 'metrics'
  return principal.user.role === 'admin'
}
