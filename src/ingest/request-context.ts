/** What ingest needs to know about the request that brought events in. */
export interface RequestContext {
  /** The X-Request-Id of the response; recorded at payload.request.id. */
  readonly requestId: string
  readonly userAgent: string | null
  readonly remoteAddr: string | null
  /** Server receive time, for client clock-skew correction. */
  readonly receivedAtMs: number
}

/** Who the events are about when the principal speaks for itself (client batches, logEvents). */
export interface Identity {
  readonly userId: string
  readonly userName: string
  readonly userEmail: string | null
  readonly orgId: string | null
  readonly orgSlug: string | null
}

/**
 * Adds the request to a payload. `keepExisting` preserves a request id the event already carries
 * (server events from CVAT name CVAT's own request, which ties cascades together).
 */
export function withRequest(
  payload: Record<string, unknown>,
  request: RequestContext,
  keepExisting: boolean,
): Record<string, unknown> {
  const existing = payload.request
  const prior = existing !== null && typeof existing === 'object' && !Array.isArray(existing) ? existing : {}
  const ours = { id: request.requestId, user_agent: request.userAgent }
  return { ...payload, request: keepExisting ? { ...ours, ...prior } : { ...prior, ...ours } }
}
