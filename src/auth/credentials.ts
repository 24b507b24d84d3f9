/**
 * What a request presents to be authenticated, whatever its transport: HTTP headers, the query
 * string, a WebSocket's connectionParams or its upgrade request. Built by `credentialsOf` in
 * src/context.ts, the one place that reads them.
 */
export interface Credentials {
  /** The Authorization header: `Basic …`, `Bearer …` or `Token …`. */
  readonly authorization: string | null
  /** The organization context asked for: `X-Organization` (or `org`) by slug. */
  readonly orgSlug: string | null
  /** `X-Grafana-User`: whom a grafana token acts for (see delegation.ts); ignored by other credentials. */
  readonly grafanaUser?: string | null
}
