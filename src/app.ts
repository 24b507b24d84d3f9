import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Config } from './config.js'
import { startCvatLoggerListener } from './http/cvat-logger.js'
import { guardedFetch, nodeListener } from './http/safety-net.js'
import { createLogger, type Logger } from './logger.js'
import { closeServices, createServices, type Services } from './services.js'
import type { PublishHook } from './ingest/writer.js'
import type { StatementObserver } from './store/index.js'
import { createYogaServer, type Yoga } from './yoga.js'

export { GRAPHQL_PATH } from './yoga.js'

export interface AppOptions {
  /** Defaults to a JSON logger on stderr at the configured level. */
  readonly log?: Logger
  /** Called with every batch of events once stored; live subscriptions attach here. */
  readonly publish?: PublishHook
  /** Told about every statement the store runs (benchmarks capture them). */
  readonly observeStore?: StatementObserver
  /** The clock of export expiry; tests move it. @default Date.now */
  readonly now?: () => number
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
    ...(options.now ? { now: options.now } : {}),
  })
  const yoga = createYogaServer(services)
  const fetch = guardedFetch(yoga, services.report, 'http')

  let server: Server | undefined
  let stopLogger: (() => Promise<void>) | undefined

  return {
    services,
    yoga,
    fetch,
    async start() {
      server = createServer(nodeListener(yoga, services.report, 'http'))
      await new Promise<void>((resolve, reject) => {
        server?.once('error', reject)
        server?.listen(config.port, config.host, resolve)
      })
      const { port } = server.address() as AddressInfo
      let cvatLoggerPort: number | undefined
      if (config.cvatLoggerPort !== undefined) {
        const listener = await startCvatLoggerListener(
          { ingest: services.loggerIngest, maxBodyBytes: config.maxBodyBytes, report: services.report },
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
      if (server) {
        const closing = new Promise<void>((resolve) => server?.close(() => resolve()))
        server.closeAllConnections()
        await closing
      }
      await closeServices(services)
    },
  }
}
