import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import type { CvatIdentityStats } from '../auth/cvat/identity-cache.js'

/** Where events came in, as a metric label. */
export type IngestPath = 'client' | 'server' | 'cvat_logger' | 'graphql' | 'internal'

/**
 * The service's own figures, in Prometheus form (`GET /metrics`). One registry per app, so tests
 * and several apps in one process never share counters. GraphQL operations (count and latency by
 * operation name) are added to the same registry by yoga's Prometheus plugin.
 */
export interface Metrics {
  readonly registry: Registry
  /** Events written (or spooled) per ingest path. */
  readonly eventsAccepted: Counter<'path'>
  /** Events of refused requests per ingest path (nothing of a refused request is stored). */
  readonly eventsRejected: Counter<'path'>
  /** Events set aside in the quarantine (the CVAT-logger listener never refuses a batch). */
  readonly eventsQuarantined: Counter<'reason'>
  /** Events acknowledged into the spool while the store was unreachable. */
  readonly eventsSpooled: Counter
  /** Rows per group-committed insert. */
  readonly insertRows: Histogram
  /** Seconds per insert into the store. */
  readonly insertSeconds: Histogram
  /** Seconds per store statement, by statement name. */
  readonly storeSeconds: Histogram<'statement' | 'outcome'>
  /** Failed authentications, by reason (`unauthenticated`, `forbidden`, `identity_unavailable`). */
  readonly authFailures: Counter<'reason'>
  /** Open live subscriptions, by transport. */
  readonly subscriptions: Gauge<'transport'>
  /** Subscriptions the service ended: too slow (buffer full), credentials or access withdrawn. */
  readonly subscribersDropped: Counter<'reason' | 'transport'>
  /** Committed batches that could not be handed to other replicas (Redis unreachable). */
  readonly liveBusFailures: Counter
  /** Unexpected errors of the service itself (each also stored as a `send:exception` event). */
  readonly internalErrors: Counter
  /** Cacheable GraphQL queries by what the response cache did: `hit`, `joined` (an identical one under way), `miss`. */
  readonly responseCache: Counter<'result'>
  /** Reads a value when scraped: spool depth, exports running and queued. */
  gauge(name: string, help: string, read: () => number): void
}

/**
 * Exposes the CVAT identity provider's figures: look-ups, those answered from the cache (fresh,
 * in grace while CVAT fails, or shared with one under way), CVAT's answers (ok, rejected, failed),
 * callers told 503, identities cached. The provider counts; these read its counters at each scrape.
 */
export function observeCvatIdentity(metrics: Metrics, read: () => CvatIdentityStats): void {
  const registers = [metrics.registry]
  /** A counter whose values are the provider's: one per label value, or a single one without a label. */
  const mirror = (
    name: string,
    help: string,
    label: string | null,
    figures: (stats: CvatIdentityStats) => Record<string, number>,
  ) =>
    new Counter({
      name,
      help,
      labelNames: label === null ? [] : [label],
      registers,
      collect() {
        this.reset()
        for (const [value, count] of Object.entries(figures(read()))) {
          if (label === null) this.inc(count)
          else this.inc({ [label]: value }, count)
        }
      },
    })
  mirror('analytics_cvat_identity_lookups_total', 'Credentials resolved through CVAT.', null, (s) => ({
    all: s.lookups,
  }))
  mirror(
    'analytics_cvat_identity_cache_hits_total',
    'Look-ups answered from the cache: fresh (within CVAT_AUTH_TTL_S, remembered refusals included), grace (past it, served while CVAT fails), shared (joined a look-up under way).',
    'kind',
    (s) => ({ fresh: s.cacheHits, grace: s.graceHits, shared: s.sharedLookups }),
  )
  mirror(
    'analytics_cvat_requests_total',
    "Rounds of requests to CVAT for a caller's identity, by outcome: ok, rejected (CVAT's 401), failed (unreachable, timeout, 5xx, unreadable).",
    'outcome',
    (s) => ({
      ok: Math.max(0, s.cvatLookups - s.cvatRejections - s.cvatFailures),
      rejected: s.cvatRejections,
      failed: s.cvatFailures,
    }),
  )
  mirror(
    'analytics_cvat_unavailable_total',
    'Callers answered 503 because CVAT could not be asked and no identity of theirs was cached.',
    null,
    (s) => ({ all: s.unavailable }),
  )
  metrics.gauge(
    'analytics_cvat_identities_cached',
    'CVAT identities in the cache.',
    () => read().cachedIdentities,
  )
}

const SECONDS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]

export function createMetrics(): Metrics {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry, prefix: 'analytics_' })
  const registers = [registry]
  return {
    registry,
    eventsAccepted: new Counter({
      name: 'analytics_events_accepted_total',
      help: 'Events written or spooled, per ingest path.',
      labelNames: ['path'],
      registers,
    }),
    eventsRejected: new Counter({
      name: 'analytics_events_rejected_total',
      help: 'Events in refused requests, per ingest path.',
      labelNames: ['path'],
      registers,
    }),
    eventsQuarantined: new Counter({
      name: 'analytics_events_quarantined_total',
      help: 'Events set aside in the quarantine instead of the events table, by reason.',
      labelNames: ['reason'],
      registers,
    }),
    eventsSpooled: new Counter({
      name: 'analytics_events_spooled_total',
      help: 'Events acknowledged into the spool while the store was unreachable.',
      registers,
    }),
    insertRows: new Histogram({
      name: 'analytics_insert_rows',
      help: 'Rows per group-committed insert.',
      buckets: [1, 10, 100, 1_000, 10_000, 100_000],
      registers,
    }),
    insertSeconds: new Histogram({
      name: 'analytics_insert_seconds',
      help: 'Seconds per insert into the store.',
      buckets: SECONDS,
      registers,
    }),
    storeSeconds: new Histogram({
      name: 'analytics_store_statement_seconds',
      help: 'Seconds per store statement, by statement name and outcome.',
      labelNames: ['statement', 'outcome'],
      buckets: SECONDS,
      registers,
    }),
    authFailures: new Counter({
      name: 'analytics_auth_failures_total',
      help: 'Requests refused for their credentials (unauthenticated), their organization (forbidden), too many failed sign-ins (limited), or because CVAT could not say who they are (identity_unavailable).',
      labelNames: ['reason'],
      registers,
    }),
    subscriptions: new Gauge({
      name: 'analytics_subscriptions_open',
      help: 'Open live subscriptions, by transport.',
      labelNames: ['transport'],
      registers,
    }),
    subscribersDropped: new Counter({
      name: 'analytics_subscribers_dropped_total',
      help: 'Live subscriptions ended by the service: too-slow (buffer full), unauthenticated, forbidden.',
      labelNames: ['reason', 'transport'],
      registers,
    }),
    liveBusFailures: new Counter({
      name: 'analytics_live_bus_failures_total',
      help: 'Committed batches that could not be published to other replicas (Redis unreachable).',
      registers,
    }),
    internalErrors: new Counter({
      name: 'analytics_internal_errors_total',
      help: 'Unexpected errors of the service; each is also stored as a send:exception event.',
      registers,
    }),
    responseCache: new Counter({
      name: 'analytics_response_cache_lookups_total',
      help: 'Cacheable GraphQL queries over HTTP, by result: hit (a kept answer sent), joined (waited for an identical query being computed), miss (computed).',
      labelNames: ['result'],
      registers,
    }),
    gauge(name, help, read) {
      new Gauge({
        name,
        help,
        registers,
        collect() {
          this.set(read())
        },
      })
    },
  }
}
