import { alertRequest, type AlertRequest } from './alerts/request.js'
import type { AlertService } from './alerts/service.js'
import type { Authenticator } from './auth/access.js'
import { credentialsOf } from './auth/request-credentials.js'
import type { RequestInfo } from './domain/request-info.js'
import type { Access } from './auth/principal.js'
import type { ExportService } from './export/service.js'
import { ingestRequestOf, type RequestContext } from './ingest/request-context.js'
import type { Ingest } from './ingest/service.js'
import type { LiveHub } from './live/hub.js'
import { httpChannel, liveRequest, type LiveRequest } from './live/live-request.js'
import type { LiveChannel } from './live/subscriber.js'
import { createLoaders, type Loaders } from './loaders/index.js'
import { AnswerBudget } from './pipeline/answer-budget.js'
import type { Store } from './store/index.js'

const accesses = new WeakMap<RequestInfo, { auth: Authenticator; access: Promise<Access> }>()

/**
 * The one way every transport learns who is calling and in which organization (401/403 as coded
 * errors). Resolved once per request (per RequestInfo): GraphQL authenticates before parsing and
 * the context reuses the answer; REST routes ask when they need it.
 */
export function accessOf(auth: Authenticator, info: RequestInfo): Promise<Access> {
  const known = accesses.get(info)
  if (known?.auth === auth) return known.access
  const access = auth.access(credentialsOf(info))
  accesses.set(info, { auth, access })
  return access
}

/** What the GraphQL schema needs from the service, for every request (HTTP, SSE, WebSocket). */
export interface GraphQLCore {
  readonly auth: Authenticator
  readonly store: Store
  readonly ingest: Ingest
  readonly exports: ExportService
  readonly limits: QueryLimits
  /** Committed events to subscribers. */
  readonly live: LiveHub
  readonly alerts: AlertService
}

export interface QueryLimits {
  /** The largest `first` a paginated field accepts (MAX_PAGE_SIZE). */
  readonly maxPageSize: number
  /** The most points a time series may have (MAX_BUCKETS). */
  readonly maxBuckets: number
  /** The largest answer, and the most bytes of large texts an operation reads (GRAPHQL_MAX_RESPONSE_BYTES). */
  readonly maxResponseBytes: number
}

/**
 * What every resolver sees. Built per operation from a RequestInfo; it holds no transport objects.
 * A subscription's context lives as long as its socket: loaders, which cache, are per operation.
 */
export interface Context {
  readonly access: Access
  readonly requestId: string
  /**
   * The request as ingest records it (logEvents). Not `request`: yoga keeps its Request there, and
   * its plugins (subscription detection among them) read it from the context.
   */
  readonly ingestRequest: RequestContext
  /** Batching loaders, fresh for this operation. */
  readonly loaders: Loaders
  /** This operation's share of GRAPHQL_MAX_RESPONSE_BYTES (useResponseBytes ends it when spent). */
  readonly answer: AnswerBudget
  /** The operation's notion of now, so every field of one answer agrees on it. */
  readonly nowMs: number
  readonly store: Store
  readonly ingest: Ingest
  readonly exports: ExportService
  readonly limits: QueryLimits
  /** Subscriptions of this request's principal (re-checked against its credentials while open). */
  readonly live: LiveRequest
  /** Alert rules as this request's principal manages and reads them. */
  readonly alerts: AlertRequest
}

/**
 * Authenticates the request and assembles the GraphQL context. `channel` is how a subscription
 * of this request can be ended: a WebSocket's close; by default the HTTP stream's (SSE).
 */
export async function createContext(
  core: GraphQLCore,
  info: RequestInfo,
  channel: LiveChannel | undefined = httpChannel(info),
): Promise<Context> {
  const access = await accessOf(core.auth, info)
  const answer = new AnswerBudget(core.limits.maxResponseBytes)
  return {
    access,
    requestId: info.requestId,
    ingestRequest: ingestRequestOf(info),
    loaders: createLoaders(core.store, answer),
    answer,
    nowMs: Date.now(),
    store: core.store,
    ingest: core.ingest,
    exports: core.exports,
    limits: core.limits,
    live: liveRequest(core.live, info, access, channel),
    alerts: alertRequest(core.alerts, info, access, channel),
  }
}
