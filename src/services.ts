import { AlertService } from './alerts/service.js'
import { createAuthenticator, type Authenticator } from './auth/access.js'
import { ensureAdmin } from './auth/bootstrap.js'
import { createCvatIdentityProvider, type CvatIdentityProvider } from './auth/cvat/provider.js'
import { AccountDirectory } from './auth/directory.js'
import { limitingFailures } from './auth/failure-limit.js'
import type { BrowserSessions } from './auth/session-auth.js'
import { loadSessionKey } from './auth/session-key.js'
import { SessionSigner } from './auth/sessions.js'
import { createIdentityChain } from './auth/identity-chain.js'
import type { Config } from './config.js'
import { ExportService } from './export/service.js'
import { createFaultReporter, type FaultReporter } from './observability/faults.js'
import { credentialsOf } from './auth/request-credentials.js'
import { createIngest, type Ingest } from './ingest/service.js'
import { createLoggerIngest, type LoggerIngest } from './ingest/logger-ingest.js'
import { Spool } from './ingest/spool.js'
import { createEventWriter, type EventWriter, type PublishHook } from './ingest/writer.js'
import type { LiveHub } from './live/hub.js'
import { startLive } from './live/start.js'
import type { Logger } from './observability/logger.js'
import { createMetrics, observeCvatIdentity, type Metrics } from './observability/metrics.js'
import { createRateLimits, type RateLimits } from './auth/rate-limits.js'
import { claimDataDir, type DataDirClaim } from './lifecycle/data-dir.js'
import { firstStoreAttempt, openStore } from './lifecycle/store-start.js'
import { gateStore } from './lifecycle/store-gate.js'
import { createStoreReadiness, type StoreReadiness } from './lifecycle/store-readiness.js'
import type { StatementObserver, Store } from './store/index.js'

/**
 * Everything the service is made of, built once by `createServices`, for the composition root,
 * the admin tools and tests. Transports are handed the parts they use (a route its service, the
 * GraphQL context its core), never this.
 */
export interface Services {
  readonly config: Config
  readonly log: Logger
  readonly metrics: Metrics
  /** The service's own unexpected errors: logged, counted, stored as send:exception events. */
  readonly report: FaultReporter
  /** The store as everything uses it: its query families wait for `readiness` (see gateStore). */
  readonly store: Store
  /** Whether the store is migrated and serving; /ready and the start-up ask it. */
  readonly readiness: StoreReadiness
  /** DATA_DIR's lock, released last at stop. */
  readonly dataDir: DataDirClaim
  readonly directory: AccountDirectory
  readonly auth: Authenticator
  /** CVAT as the identity provider, when `CVAT_URL` is set. */
  readonly cvat: CvatIdentityProvider | undefined
  readonly writer: EventWriter
  readonly ingest: Ingest
  /** The CVAT-logger listener's ingest: stores what it can, quarantines the rest, never refuses. */
  readonly loggerIngest: LoggerIngest
  readonly exports: ExportService
  /**
   * Per-principal limits (RATE_LIMIT_*): ingest requests and GraphQL operations per minute, and
   * live subscriptions at once (`rateLimits.subscriptions.acquire(access)` → release).
   */
  readonly rateLimits: RateLimits
  /** Committed events to live subscriptions (this replica's, and through Redis the others'). */
  readonly live: LiveHub
  /** Browser sessions: the web pages' sign-in opens them, the authenticator accepts them. */
  readonly sessions: BrowserSessions
  /** Alert rules: managed through GraphQL, evaluated by the replica holding the lease, notified. */
  readonly alerts: AlertService
}

export interface ServiceOptions {
  readonly log: Logger
  /** Called with every batch of events once stored; live subscriptions attach here. */
  readonly publish?: PublishHook
  /** Told about every statement the store runs (benchmarks capture them). */
  readonly observeStore?: StatementObserver
  /** The clock of export and session expiry and of alert evaluations and deliveries; tests move it. @default Date.now */
  readonly now?: () => number
  /** `when-asked`: alert rules are evaluated only by `alerts.evaluateNow()` (tests). @default 'every-minute' */
  readonly evaluateAlerts?: 'every-minute' | 'when-asked'
}

/**
 * Builds the core: DATA_DIR (checked and locked), the store and its readiness (first attempt made,
 * retried in the background when the store is away), accounts (bootstrapped), spool and writer,
 * ingest, exports. Fatal start-up problems are StartupErrors (one line each).
 */
export async function createServices(config: Config, options: ServiceOptions): Promise<Services> {
  const { log } = options
  const dataDir = await claimDataDir(config, log)
  let readiness: StoreReadiness | undefined
  let rawStore: Store | undefined
  try {
    const metrics = createMetrics()
    rawStore = openStore(config.store, {
      observe: observingStore(metrics, options.observeStore),
      sharedReadTtlMs: config.responseCacheTtlMs,
    })
    readiness = createStoreReadiness({ store: rawStore, log, maxDelayMs: config.storeRetryMaxMs })
    await firstStoreAttempt(readiness, config, log)
    const store = gateStore(rawStore, readiness)
    return await createCore(config, options, { metrics, store, readiness, dataDir })
  } catch (error) {
    readiness?.close()
    await rawStore?.close().catch(() => {})
    dataDir.release()
    throw error
  }
}

/** Statement timings into the metrics (and to the caller's observer, for benchmarks). */
function observingStore(metrics: Metrics, observe?: StatementObserver): StatementObserver {
  return (statement, durationMs, error) => {
    const seconds = durationMs / 1000
    metrics.storeSeconds.observe({ statement: statement.name, outcome: error ? 'error' : 'ok' }, seconds)
    if (statement.name === 'events.insert' && !error) metrics.insertSeconds.observe(seconds)
    observe?.(statement, durationMs, error)
  }
}

/** Everything over the store: accounts, spool and writer, ingest, exports, metrics, faults, auth. */
async function createCore(
  config: Config,
  options: ServiceOptions,
  parts: Pick<Services, 'metrics' | 'store' | 'readiness' | 'dataDir'>,
): Promise<Services> {
  const { log } = options
  const { metrics, store, readiness } = parts
  const bootstrap = await ensureAdmin(config.accountsFile, config.adminPassword)
  if (bootstrap.generatedPassword) {
    log.warn(
      `created user 'admin' with password ${bootstrap.generatedPassword} — shown once; set ANALYTICS_ADMIN_PASSWORD or run 'npm run admin -- user set admin --random-password' to change it`,
    )
  }
  const directory = await AccountDirectory.open(config.accountsFile, {
    hashConcurrency: config.authHashConcurrency,
    log,
  })
  const rateLimits = createRateLimits({
    ingestPerMinute: config.rateLimitIngestPerMinute,
    ingestTokenPerMinute: config.rateLimitIngestTokenPerMinute,
    graphqlPerMinute: config.rateLimitGraphqlPerMinute,
    subscriptions: config.rateLimitSubscriptions,
  })
  const live = await startLive(config.live, {
    log,
    metrics,
    // Each re-check asks again: accessOf would answer what this request's first check said.
    authenticate: (info) => auth.access(credentialsOf(info)),
    accounts: { poll: () => directory.refresh(), onChange: (listener) => directory.onReload(listener) },
    slots: rateLimits.subscriptions,
  })
  const spool = await Spool.open(config.spoolDir, { maxBytes: config.spoolMaxBytes })
  const writer = createEventWriter({
    store,
    spool,
    maxRows: config.insertMaxRows,
    retryMs: config.spoolRetryMs,
    publish: (records) => {
      live.publish(records)
      options.publish?.(records)
    },
    log,
    metrics,
    storeReady: () => readiness.ready,
  })
  // Once the store is ready (at start, or back after it lost its schema), the spool replays.
  readiness.onReady(() => void writer.retrySpool())
  const ingest = createIngest(writer, { maxEvents: config.maxBatchEvents }, metrics)
  const loggerIngest = createLoggerIngest({ writer, quarantine: store.quarantine, log, metrics })
  const exports = await ExportService.open({
    store,
    dir: config.exportDir,
    ttlMs: config.exportTtlHours * 3_600_000,
    concurrency: config.exportConcurrency,
    userConcurrency: config.exportUserConcurrency,
    windowRows: config.exportWindowRows,
    queryTimeoutMs: config.exportQueryTimeoutMs,
    maxActivePerUser: config.rateLimitExports,
    log,
    storeReady: () => readiness.assertReady(),
    onStoreReady: (listener) => readiness.onReady(listener),
    ...(options.now ? { now: options.now } : {}),
  })
  metrics.gauge(
    'analytics_spool_backlog',
    'Blocks on the spool waiting for the store.',
    () => writer.spoolBacklog,
  )
  metrics.gauge('analytics_spool_bytes', 'Bytes on the spool waiting for the store.', () => writer.spoolBytes)
  metrics.gauge('analytics_store_ready', '1 when the store is migrated and serving, else 0.', () =>
    readiness.ready ? 1 : 0,
  )
  metrics.gauge('analytics_exports_running', 'Exports being written.', () => exports.counts().running)
  metrics.gauge('analytics_exports_queued', 'Exports waiting for a slot.', () => exports.counts().queued)
  const cvat = config.cvat && createCvatIdentityProvider({ config: config.cvat, log })
  if (cvat) observeCvatIdentity(metrics, () => cvat.stats())
  const sessions: BrowserSessions = {
    signer: new SessionSigner(await loadSessionKey(config.sessions)),
    ttlMs: config.sessions.ttlHours * 3_600_000,
    now: options.now ?? Date.now,
    trustedOrigins: config.corsOrigins,
  }
  const auth = countingFailures(
    limitingFailures(identities(config, directory, cvat, sessions), {
      perUser: config.authMaxFailuresPerUser,
      perAddress: config.authMaxFailuresPerAddress,
      windowS: config.authFailureWindowS,
    }),
    metrics,
  )
  const report = createFaultReporter(log, writer, metrics)
  const alerts = AlertService.open({
    store,
    log,
    allowPrivate: config.alerts.allowPrivateWebhooks,
    linkBase: config.alerts.linkUrl,
    storeReady: () => readiness.ready,
    orgSlug: (id) => directory.organizationById(id)?.slug,
    authenticate: (info) => auth.access(credentialsOf(info)),
    slots: rateLimits.subscriptions,
    ...(options.now ? { now: options.now } : {}),
    ...(options.evaluateAlerts ? { evaluate: options.evaluateAlerts } : {}),
  })
  metrics.gauge(
    'analytics_alert_evaluator',
    '1 while this replica holds the alert evaluation lease (evaluates rules and delivers notifications), else 0.',
    () => (alerts.evaluator.lease.holds ? 1 : 0),
  )
  return {
    config,
    log,
    report,
    directory,
    auth,
    cvat,
    writer,
    ingest,
    loggerIngest,
    exports,
    rateLimits,
    live,
    sessions,
    alerts,
    ...parts,
  }
}

/** Who callers are: the accounts file first, then CVAT when CVAT_URL is set (see identity-chain.ts). */
function identities(
  config: Config,
  directory: AccountDirectory,
  cvat: CvatIdentityProvider | undefined,
  sessions: BrowserSessions,
): Authenticator {
  const accounts = createAuthenticator(directory, sessions)
  if (!cvat) return accounts
  return createIdentityChain({
    accounts,
    knowsUsername: (name) => directory.userByName(name) !== undefined,
    cvat,
    trustedOrigins: config.corsOrigins,
  })
}

const FAILURE_REASONS: Readonly<Record<string, string>> = {
  UNAUTHENTICATED: 'unauthenticated',
  FORBIDDEN: 'forbidden',
  TOO_MANY_REQUESTS: 'limited',
  IDENTITY_UNAVAILABLE: 'identity_unavailable',
}

/** Counts refused credentials and organizations (brute force and misconfiguration show up here). */
function countingFailures(auth: Authenticator, metrics: Metrics): Authenticator {
  return {
    async access(credentials) {
      try {
        return await auth.access(credentials)
      } catch (error) {
        const reason = FAILURE_REASONS[String((error as { code?: unknown }).code)]
        if (reason) metrics.authFailures.inc({ reason })
        throw error
      }
    },
  }
}

/**
 * Stops what createServices started, in the order that loses nothing: alerts (deliveries in flight
 * recorded, the lease given up), exports, the store's
 * retries, writes (flushed or spooled; see EventWriter.prepareStop for a bounded stop), the
 * store, and last DATA_DIR's lock.
 */
export async function closeServices(services: Services): Promise<void> {
  try {
    await services.alerts.close()
    await services.exports.close()
    services.readiness.close()
    await services.writer.close()
    await services.store.close()
    await services.live.close(0) // a no-op after the app's graceful live shutdown (app.stop)
  } finally {
    services.dataDir.release()
  }
}
