import { createAuthenticator, type Authenticator } from './auth/access.js'
import { ensureAdmin } from './auth/bootstrap.js'
import { createCvatIdentityProvider, type CvatIdentityProvider } from './auth/cvat/provider.js'
import { limitingFailures } from './auth/failure-limit.js'
import { AccountDirectory } from './auth/directory.js'
import { createIdentityChain } from './auth/identity-chain.js'
import type { Config } from './config.js'
import { ExportService } from './export/service.js'
import { createFaultReporter, type FaultReporter } from './faults.js'
import { ensurePrivateDir } from './private-files.js'
import { createRateLimits, type RateLimits } from './rate-limits.js'
import { createIngest, type Ingest } from './ingest/service.js'
import { createLoggerIngest, type LoggerIngest } from './ingest/logger-ingest.js'
import { Spool } from './ingest/spool.js'
import { createEventWriter, type EventWriter, type PublishHook } from './ingest/writer.js'
import type { Logger } from './logger.js'
import { createMetrics, observeCvatIdentity, type Metrics } from './metrics.js'
import { createStore, type StatementObserver, type Store } from './store/index.js'

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
  readonly store: Store
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
}

export interface ServiceOptions {
  readonly log: Logger
  /** Called with every batch of events once stored; live subscriptions attach here. */
  readonly publish?: PublishHook
  /** Told about every statement the store runs (benchmarks capture them). */
  readonly observeStore?: StatementObserver
  /** The clock of export expiry; tests move it. @default Date.now */
  readonly now?: () => number
}

/** Builds the core: store (migrated), accounts (bootstrapped), spool and writer, ingest, exports. */
export async function createServices(config: Config, options: ServiceOptions): Promise<Services> {
  const { log } = options
  // Events, exports and accounts are private: the data directory and every one we create are 0700.
  for (const dir of [config.dataDir, ...(config.store.kind === 'embedded' ? [config.store.path] : [])]) {
    if (await ensurePrivateDir(dir)) log.warn('made a data directory private to the service (0700)', { dir })
  }
  const metrics = createMetrics()
  const store = createStore(config.store, {
    observe: (statement, durationMs, error) => {
      const seconds = durationMs / 1000
      metrics.storeSeconds.observe({ statement: statement.name, outcome: error ? 'error' : 'ok' }, seconds)
      if (statement.name === 'events.insert' && !error) metrics.insertSeconds.observe(seconds)
      options.observeStore?.(statement, durationMs, error)
    },
  })
  await store.migrate()
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
  const spool = await Spool.open(config.spoolDir)
  const writer = createEventWriter({
    store,
    spool,
    maxRows: config.insertMaxRows,
    retryMs: config.spoolRetryMs,
    publish: options.publish ?? (() => {}),
    log,
    metrics,
  })
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
    ...(options.now ? { now: options.now } : {}),
  })
  metrics.gauge(
    'analytics_spool_backlog',
    'Blocks on the spool waiting for the store.',
    () => writer.spoolBacklog,
  )
  metrics.gauge('analytics_exports_running', 'Exports being written.', () => exports.counts().running)
  metrics.gauge('analytics_exports_queued', 'Exports waiting for a slot.', () => exports.counts().queued)
  const cvat = config.cvat && createCvatIdentityProvider({ config: config.cvat, log })
  if (cvat) observeCvatIdentity(metrics, () => cvat.stats())
  const accounts = createAuthenticator(directory)
  const identities = cvat
    ? createIdentityChain({
        accounts,
        knowsUsername: (name) => directory.userByName(name) !== undefined,
        cvat,
        trustedOrigins: config.corsOrigins,
      })
    : accounts
  const auth = countingFailures(
    limitingFailures(identities, {
      perUser: config.authMaxFailuresPerUser,
      perAddress: config.authMaxFailuresPerAddress,
      windowS: config.authFailureWindowS,
    }),
    metrics,
  )
  const report = createFaultReporter(log, writer, metrics)
  const rateLimits = createRateLimits({
    ingestPerMinute: config.rateLimitIngestPerMinute,
    graphqlPerMinute: config.rateLimitGraphqlPerMinute,
    subscriptions: config.rateLimitSubscriptions,
  })
  return {
    config,
    log,
    metrics,
    report,
    store,
    directory,
    auth,
    cvat,
    writer,
    ingest,
    loggerIngest,
    exports,
    rateLimits,
  }
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
        const code = (error as { code?: unknown }).code
        const reason = FAILURE_REASONS[String(code)]
        if (reason) metrics.authFailures.inc({ reason })
        throw error
      }
    },
  }
}

/** Stops what createServices started, in the order that loses nothing: exports, writes, the store. */
export async function closeServices(services: Services): Promise<void> {
  await services.exports.close()
  await services.writer.close()
  await services.store.close()
}
