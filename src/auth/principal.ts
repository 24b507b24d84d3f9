import type { GlobalRole, Organization, OrgRole, TokenKind } from './accounts-file.js'

/** Who is calling: a user, possibly through one of its API tokens. */
export interface Principal {
  readonly user: {
    readonly id: string
    readonly username: string
    readonly email: string | null
    readonly role: GlobalRole
  }
  /** Set when the request authenticated with an API token. */
  readonly token: { readonly id: string; readonly kind: TokenKind } | null
}

/** A principal in the organization context its request named (X-Organization or `org`). */
export interface Access {
  readonly principal: Principal
  readonly org: Organization | null
  /** The principal's membership role in `org`; null for admins who are not members. */
  readonly orgRole: OrgRole | null
}

/** Users send client events; API tokens do not (spec §7). */
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
