/**
 * What a transport knows about one request before anything is resolved: HTTP (GraphQL, SSE, REST),
 * a WebSocket (its upgrade request under its connectionParams) and the CVAT-logger listener all
 * describe their requests this way; credentials, ingest's request record and the GraphQL context
 * are built from it.
 */
export interface RequestInfo {
  readonly requestId: string
  /** A header (or connection parameter) by case-insensitive name; null when absent. */
  readonly header: (name: string) => string | null
  readonly url: URL
  /**
   * The HTTP method. A WebSocket leaves it unset: a socket can carry mutations, so its cookie
   * credentials need a CSRF token (in connectionParams) as a POST does.
   */
  readonly method?: string
  readonly remoteAddr: string | null
  readonly receivedAtMs: number
}
