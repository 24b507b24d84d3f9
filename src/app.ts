import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Config } from './config.js'
import { startCvatLoggerListener } from './http/cvat-logger.js'
import { endLiveSubscriptions } from './live/shutdown.js'
import { attachWebSockets, type WebSocketEndpoint } from './live/websocket.js'
import { createLogger, type Logger } from './logger.js'
import { closeServices, createServices, type Services } from './services.js'
import type { PublishHook } from './ingest/writer.js'
import type { StatementObserver } from './store/index.js'
import { createYogaServer, GRAPHQL_PATH, type Yoga } from './yoga.js'

export { GRAPHQL_PATH } from './yoga.js'

export interface AppOptions {
  /** Defaults to a JSON logger on stderr at the configured level. */
  readonly log?: Logger
  /** Called with every batch of events once stored; live subscriptions attach here. */
  readonly publish?: PublishHook
  /** Told about every statement the store runs (benchmarks capture them). */
  readonly observeStore?: StatementObserver
}

export interface App {
  readonly services: Services
  readonly yoga: Yoga
  /** The whole HTTP surface as a fetch function: tests call it without a port. */
  fetch(request: Request): Promise<Response>
  /** Listens on the configured port (0 picks a free one) and, if enabled, the CVAT-logger port. */
  start(): Promise<{ url: string; port: number; cvatLoggerPort?: number }>
  /** Stops listening, cancels running exports, lets in-flight writes finish, closes the store. */
  stop(): Promise<void>
}

/** Builds the service: its core (see createServices) and the HTTP pipeline over it. */
export async function buildApp(config: Config, options: AppOptions = {}): Promise<App> {
  const log = options.log ?? createLogger(config.logLevel)
  const services = await createServices(config, {
    log,
    ...(options.publish ? { publish: options.publish } : {}),
    ...(options.observeStore ? { observeStore: options.observeStore } : {}),
  })
  const yoga = createYogaServer(services)

  let server: Server | undefined
  let stopLogger: (() => Promise<void>) | undefined
  let sockets: WebSocketEndpoint | undefined

  return {
    services,
    yoga,
    fetch: (request) => Promise.resolve(yoga.fetch(request)),
    async start() {
      server = createServer((req, res) => void yoga(req, res))
      sockets = attachWebSockets(server, {
        yoga,
        auth: services.auth,
        path: GRAPHQL_PATH,
        trustProxy: config.trustProxy,
        keepAliveMs: config.live.keepAliveMs,
        allowedOrigins: config.corsOrigins,
        report: services.report,
        log,
      })
      await new Promise<void>((resolve, reject) => {
        server?.once('error', reject)
        server?.listen(config.port, config.host, resolve)
      })
      const { port } = server.address() as AddressInfo
      let cvatLoggerPort: number | undefined
      if (config.cvatLoggerPort !== undefined) {
        const listener = await startCvatLoggerListener(
          { ingest: services.ingest, maxBodyBytes: config.maxBodyBytes, report: services.report },
          config.cvatLoggerHost,
          config.cvatLoggerPort,
        )
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
      await stopLogger?.()
      await endLiveSubscriptions({ writer: services.writer, live: services.live, sockets })
      if (server) {
        const closing = new Promise<void>((resolve) => server?.close(() => resolve()))
        server.closeAllConnections()
        await closing
      }
      await closeServices(services)
    },
  }
}
