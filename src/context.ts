import { alertRequest, type AlertRequest } from './alerts/request.js'
import type { AlertService } from './alerts/service.js'
import type { Authenticator } from './auth/access.js'
import type { Credentials } from './auth/credentials.js'
import type { Access } from './auth/principal.js'
import type { ExportService } from './export/service.js'
import type { RequestContext } from './ingest/request-context.js'
import type { Ingest } from './ingest/service.js'
import type { LiveHub } from './live/hub.js'
import { httpChannel, liveRequest, type LiveRequest } from './live/live-request.js'
import type { LiveChannel } from './live/subscriber.js'
import { createLoaders, type Loaders } from './loaders/index.js'
import type { Store } from './store/index.js'

/**
 * What a transport knows about one request before anything is resolved: HTTP (GraphQL, SSE, REST),
 * a WebSocket (its upgrade request under its connectionParams) and the CVAT-logger listener all
 * describe their requests this way, and everything below is built from it by the functions here.
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

/** Methods that change nothing (RFC 9110 §9.2.1), so cookie credentials need no CSRF token on them. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE'])

/**
 * The credentials a request presents: `Authorization`, the `Cookie` (CVAT's session), the
 * organization context as CVAT reads it (`org` and `org_id` query parameters, `X-Organization`),
 * and what a CSRF check needs.
 */
export function credentialsOf(info: RequestInfo): Credentials {
  const query = info.url.searchParams
  return {
    authorization: info.header('authorization'),
    cookie: info.header('cookie'),
    org: { org: query.get('org'), xOrganization: info.header('x-organization'), orgId: query.get('org_id') },
    csrf: {
      changesState: !SAFE_METHODS.has((info.method ?? 'POST').toUpperCase()),
      token: info.header('x-csrftoken'),
      origin: info.header('origin'),
      host: info.header('host') ?? info.url.host,
    },
    grafanaUser: info.header('x-grafana-user'),
    clientAddress: info.remoteAddr,
  }
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
}

/**
 * What every resolver sees. Built per operation from a RequestInfo; it holds no transport objects.
 * A subscription's context lives as long as its socket: loaders, which cache, are per operation.
 */
export interface Context {
  readonly access: Access
  readonly requestId: string
  /** The request as ingest records it (logEvents). */
  readonly request: RequestContext
  /** Batching loaders, fresh for this operation. */
  readonly loaders: Loaders
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
  return {
    access,
    requestId: info.requestId,
    request: ingestRequestOf(info),
    loaders: createLoaders(core.store),
    nowMs: Date.now(),
    store: core.store,
    ingest: core.ingest,
    exports: core.exports,
    limits: core.limits,
    live: liveRequest(core.live, info, access, channel),
    alerts: alertRequest(core.alerts, info, access, channel),
  }
}
