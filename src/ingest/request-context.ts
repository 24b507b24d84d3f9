import type { RequestInfo } from '../domain/request-info.js'
import type { Payload } from './fields.js'

/** What ingest needs to know about the request that brought events in. */
export interface RequestContext {
  /** The X-Request-Id of the response; recorded at payload.request.id. */
  readonly requestId: string
  readonly userAgent: string | null
  readonly remoteAddr: string | null
  /** Server receive time, for client clock-skew correction. */
  readonly receivedAtMs: number
}

/** The request as ingest records it in the events it causes. */
export function ingestRequestOf(info: RequestInfo): RequestContext {
  return {
    requestId: info.requestId,
    userAgent: info.header('user-agent'),
    remoteAddr: info.remoteAddr,
    receivedAtMs: info.receivedAtMs,
  }
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
 * The payload's JSON text with the request recorded at `payload.request`. When the event carries
 * no request of its own, the request is spliced into the client's text instead of re-serialising
 * the whole object (ingest's hottest step); otherwise the two are merged.
 */
export function stampRequest(payload: Payload, request: RequestContext, keepExisting: boolean): string {
  if (payload.text === null || 'request' in payload.object) {
    return JSON.stringify(withRequest(payload.object, request, keepExisting))
  }
  const text = payload.text.trimEnd()
  const body = text.slice(0, -1).trimEnd()
  const separator = body.endsWith('{') ? '' : ','
  return `${body}${separator}"request":${requestJson(request)}}`
}

const requestJsonCache = new WeakMap<RequestContext, string>()

function requestJson(request: RequestContext): string {
  let json = requestJsonCache.get(request)
  if (json === undefined) {
    json = JSON.stringify({ id: request.requestId, user_agent: request.userAgent })
    requestJsonCache.set(request, json)
  }
  return json
}

/**
 * Adds the request to a payload. `keepExisting` preserves a request id the event already carries
 * (server events from CVAT name CVAT's own request, which ties cascades together).
 */
export function withRequest(
  payload: Readonly<Record<string, unknown>>,
  request: RequestContext,
  keepExisting: boolean,
): Record<string, unknown> {
  const existing = payload.request
  const prior = existing !== null && typeof existing === 'object' && !Array.isArray(existing) ? existing : {}
  const ours = { id: request.requestId, user_agent: request.userAgent }
  return { ...payload, request: keepExisting ? { ...ours, ...prior } : { ...prior, ...ours } }
}
