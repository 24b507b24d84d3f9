import type { OrgSelectorInput } from './cvat/organization.js'

/**
 * What a request presents to be authenticated, whatever its transport: HTTP headers, the query
 * string, a WebSocket's connectionParams or its upgrade request. Built by `credentialsOf` in
 * src/context.ts, the one place that reads them.
 */
export interface Credentials {
  /** The Authorization header: `Basic …`, `Bearer …` or `Token …`. */
  readonly authorization: string | null
  /** The Cookie header, for CVAT's `sessionid` (and `csrftoken`, which CSRF checks compare). */
  readonly cookie: string | null
  /**
   * The organization context asked for, raw, as CVAT reads it (`org`, `X-Organization`, `org_id`);
   * `readOrgSelector` turns it into one organization or a 400.
   */
  readonly org: OrgSelectorInput
  /** What a CSRF check of a cookie-authenticated request needs. */
  readonly csrf: CsrfInputs
  /** `X-Grafana-User`: whom a grafana token acts for (see delegation.ts); ignored by other credentials. */
  readonly grafanaUser?: string | null
  /**
   * Where the request came from (RequestInfo.remoteAddr), for limits on failed sign-ins; absent
   * or null when the transport does not know (tests, in-process callers).
   */
  readonly clientAddress?: string | null
}

export interface CsrfInputs {
  /**
   * Whether the request may change state: any HTTP method but GET, HEAD, OPTIONS and TRACE (Django's
   * rule, so a GraphQL query POSTed counts), and any WebSocket (a socket can carry mutations).
   */
  readonly changesState: boolean
  /** The `X-CSRFToken` header (or connection parameter). */
  readonly token: string | null
  /** The `Origin` header, when the browser sent one. */
  readonly origin: string | null
  /** The host the request was addressed to (`Host`), which a same-origin `Origin` names. */
  readonly host: string
}
