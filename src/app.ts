import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Config } from './config.js'
import { startCvatLoggerListener } from './transports/cvat-logger.js'
import { closeGracefully } from './transports/graceful-close.js'
import { guardedFetch, nodeListener } from './transports/safety-net.js'
import { endLiveSubscriptions } from './lifecycle/live-shutdown.js'
import { attachWebSockets, type WebSocketEndpoint } from './transports/websocket.js'
import { createLogger, type Logger } from './observability/logger.js'
import { closeServices, createServices, type Services } from './services.js'
import type { PublishHook } from './ingest/writer.js'
import { listenError } from './lifecycle/listen-error.js'
import type { StatementObserver } from './store/index.js'
import { createYogaServer, GRAPHQL_PATH, type Yoga } from './pipeline/yoga.js'

export { GRAPHQL_PATH } from './pipeline/yoga.js'

export interface AppOptions {
  /** Defaults to a JSON logger on stderr at the configured level. */
  readonly log?: Logger
  /** Called with every batch of events once stored; live subscriptions attach here. */
  readonly publish?: PublishHook
  /** Told about every statement the store runs (benchmarks capture them). */
  readonly observeStore?: StatementObserver
  /** The clock of export and session expiry and of alert evaluations and deliveries; tests move it. @default Date.now */
  readonly now?: () => number
  /** `when-asked`: alert rules are evaluated only by `services.alerts.evaluateNow()` (tests). @default 'every-minute' */
  readonly evaluateAlerts?: 'every-minute' | 'when-asked'
}

export interface App {
  readonly services: Services
  readonly yoga: Yoga
  /** The whole HTTP surface as a fetch function: tests call it without a port. */
  fetch(request: Request): Promise<Response>
  /** Listens on the configured port (0 picks a free one) and, if enabled, the CVAT-logger port. */
  start(): Promise<{ url: string; port: number; cvatLoggerPort?: number }>
  /**
   * Stops within SHUTDOWN_TIMEOUT_MS, losing nothing acknowledged: stops accepting, answers what
   * is in flight, flushes the group commit (or spools it), closes the spool and the store, and
   * releases DATA_DIR. See the numbered steps in buildApp.
   */
  stop(): Promise<void>
}

/** Shares of SHUTDOWN_TIMEOUT_MS: inserts still running at the first go to the spool; requests still running at the second are cut. */
const HANDOVER_SHARE = 0.5
const REQUESTS_SHARE = 0.8

/** Builds the service: its core (see createServices) and the HTTP pipeline over it. */
export async function buildApp(config: Config, options: AppOptions = {}): Promise<App> {
  const log = options.log ?? createLogger(config.logLevel)
  const services = await createServices(config, {
    log,
    ...(options.publish ? { publish: options.publish } : {}),
    ...(options.observeStore ? { observeStore: options.observeStore } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(options.evaluateAlerts ? { evaluateAlerts: options.evaluateAlerts } : {}),
  })
  const yoga = createYogaServer(services)
  const fetch = guardedFetch(yoga, services.report, 'http')

  let server: Server | undefined
  let stopLogger: ((deadline: number) => Promise<void>) | undefined
  let stopping = false
  let stopped: Promise<void> | undefined
  let sockets: WebSocketEndpoint | undefined

  return {
    services,
    yoga,
    fetch,
    async start() {
      const listener = nodeListener(yoga, services.report, 'http')
      server = createServer((req, res) => {
        // While stopping, every answer closes its connection, so no new request comes in on it.
        if (stopping) res.setHeader('Connection', 'close')
        listener(req, res)
      })
      // GraphQL over WebSocket on the same port and path (src/transports/websocket.ts).
      sockets = attachWebSockets(server, {
        yoga,
        auth: services.auth,
        path: GRAPHQL_PATH,
        trustProxy: config.trustProxy,
        keepAliveMs: config.live.keepAliveMs,
        allowedOrigins: config.corsOrigins,
        report: services.report,
        log,
        rate: services.rateLimits.graphql,
      })
      await new Promise<void>((resolve, reject) => {
        server?.once('error', (error) =>
          reject(listenError(error, { port: 'PORT', host: 'HOST' }, config.host, config.port)),
        )
        server?.listen(config.port, config.host, resolve)
      })
      const { port } = server.address() as AddressInfo
      let cvatLoggerPort: number | undefined
      if (config.cvatLoggerPort !== undefined) {
        const listener = await startCvatLoggerListener(
          { ingest: services.loggerIngest, maxBodyBytes: config.maxBodyBytes, report: services.report },
          config.cvatLoggerHost,
          config.cvatLoggerPort,
        ).catch((error: unknown) => {
          throw listenError(
            error,
            { port: 'CVAT_LOGGER_PORT', host: 'CVAT_LOGGER_HOST' },
            config.cvatLoggerHost,
            config.cvatLoggerPort ?? 0,
          )
        })
        stopLogger = listener.stop
        cvatLoggerPort = listener.port
      }
      const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host
      log.info('listening', { url: `http://${host}:${port}`, store: services.store.kind, cvatLoggerPort })
      return {
        url: `http://${host}:${port}`,
        port,
        ...(cvatLoggerPort === undefined ? {} : { cvatLoggerPort }),
      }
    },
    async stop() {
      if (stopped) return stopped
      stopping = true
      const begun = Date.now()
      const budget = config.shutdownTimeoutMs
      stopped = (async () => {
        // 1. Stop accepting: both listeners close their ports now; requests in flight go on.
        const requestsDone = Date.now() + budget * REQUESTS_SHARE
        const closing = Promise.all([
          server ? closeGracefully(server, requestsDone) : undefined,
          stopLogger?.(requestsDone),
        ])
        // 2. Flush: the group commit goes on writing what requests hand it; whatever still waits
        //    on the store at the hand-over goes to the spool, so every request in flight gets its
        //    201/202. The spool stops replaying between blocks; the rest replays at the next start.
        services.writer.prepareStop(begun + budget * HANDOVER_SHARE)
        //    Alerts need no request: their evaluation, deliveries and lease end meanwhile (each
        //    bounded, so a hung store costs them seconds of the budget only once, not after step 4).
        void services.alerts.close()
        // 3. Live subscriptions, beside 4: once the writes in flight are stored (or spooled) and
        //    their events went out, SSE streams complete and WebSockets close with 1001 (Going
        //    Away), so clients reconnect to the next instance. They hold no writes; the server's
        //    close waits for their connections, so they end before the deadline.
        services.alerts.endSubscriptions()
        const live = endLiveSubscriptions(
          { writer: services.writer, live: services.live, sockets },
          requestsDone,
        )
        // 4. Answer what is in flight (until the deadline above, then cut).
        await Promise.all([closing, live])
        // 5. Exports, the store's retries, the writer and spool, the store, DATA_DIR's lock.
        await closeServices(services)
        log.info('stopped', { ms: Date.now() - begun })
      })()
      return stopped
    },
  }
}
