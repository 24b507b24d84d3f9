import { createAuthenticator, type Authenticator } from './auth/access.js'
import { ensureAdmin } from './auth/bootstrap.js'
import { AccountDirectory } from './auth/directory.js'
import type { Config } from './config.js'
import { ExportService } from './export/service.js'
import { createFaultReporter, type FaultReporter } from './faults.js'
import { accessOf } from './context.js'
import { createIngest, type Ingest } from './ingest/service.js'
import { Spool } from './ingest/spool.js'
import { createEventWriter, type EventWriter, type PublishHook } from './ingest/writer.js'
import type { LiveHub } from './live/hub.js'
import { startLive } from './live/start.js'
import type { Logger } from './logger.js'
import { createMetrics, type Metrics } from './metrics.js'
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
  readonly writer: EventWriter
  readonly ingest: Ingest
  readonly exports: ExportService
  /** Committed events to live subscriptions (this replica's, and through Redis the others'). */
  readonly live: LiveHub
}

export interface ServiceOptions {
  readonly log: Logger
  /** Called with every batch of events once stored; live subscriptions attach here. */
  readonly publish?: PublishHook
  /** Told about every statement the store runs (benchmarks capture them). */
  readonly observeStore?: StatementObserver
}

/** Builds the core: store (migrated), accounts (bootstrapped), spool and writer, ingest, exports. */
export async function createServices(config: Config, options: ServiceOptions): Promise<Services> {
  const { log } = options
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
  const directory = await AccountDirectory.open(config.accountsFile)
  const live = await startLive(config.live, {
    log,
    metrics,
    authenticate: (info) => accessOf(auth, info),
    accounts: { poll: () => directory.refresh(), onChange: (listener) => directory.onReload(listener) },
  })
  const spool = await Spool.open(config.spoolDir)
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
  })
  const ingest = createIngest(writer, { maxEvents: config.maxBatchEvents }, metrics)
  const exports = await ExportService.open({
    store,
    dir: config.exportDir,
    ttlMs: config.exportTtlHours * 3_600_000,
    concurrency: config.exportConcurrency,
    userConcurrency: config.exportUserConcurrency,
    windowRows: config.exportWindowRows,
    queryTimeoutMs: config.exportQueryTimeoutMs,
    log,
  })
  metrics.gauge(
    'analytics_spool_backlog',
    'Blocks on the spool waiting for the store.',
    () => writer.spoolBacklog,
  )
  metrics.gauge('analytics_exports_running', 'Exports being written.', () => exports.counts().running)
  metrics.gauge('analytics_exports_queued', 'Exports waiting for a slot.', () => exports.counts().queued)
  const auth = countingFailures(createAuthenticator(directory), metrics)
  const report = createFaultReporter(log, writer, metrics)
  return { config, log, metrics, report, store, directory, auth, writer, ingest, exports, live }
}

/** Counts refused credentials and organizations (brute force and misconfiguration show up here). */
function countingFailures(auth: Authenticator, metrics: Metrics): Authenticator {
  return {
    async access(credentials) {
      try {
        return await auth.access(credentials)
      } catch (error) {
        const code = (error as { code?: unknown }).code
        if (code === 'UNAUTHENTICATED' || code === 'FORBIDDEN') {
          metrics.authFailures.inc({ reason: code === 'UNAUTHENTICATED' ? 'unauthenticated' : 'forbidden' })
        }
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
  await services.live.close(0) // a no-op after the app's graceful live shutdown (app.stop)
}
