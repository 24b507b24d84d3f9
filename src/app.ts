import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createYoga, type YogaServerInstance } from 'graphql-yoga'
import { createAuthenticator } from './auth/access.js'
import { ensureAdmin } from './auth/bootstrap.js'
import { AccountDirectory } from './auth/directory.js'
import type { Config } from './config.js'
import { createContext, type Context, type GraphQLCore } from './context.js'
import { ExportService } from './export/service.js'
import { startCvatLoggerListener } from './http/cvat-logger.js'
import { exportRoutes } from './http/export-routes.js'
import { useHealthEndpoints } from './http/health.js'
import { ingestRoutes } from './http/ingest-routes.js'
import { useRequestId } from './http/request-id.js'
import { requestInfoOf } from './http/request-info.js'
import { useClientAddress } from './http/client-address.js'
import { useBasicAuthChallenge } from './http/auth-challenge.js'
import { useValidationStatus } from './http/validation-status.js'
import { useRoutes } from './http/router.js'
import { createIngest } from './ingest/service.js'
import { Spool } from './ingest/spool.js'
import { createEventWriter, type PublishHook } from './ingest/writer.js'
import { createLogger, type Logger } from './logger.js'
import { createErrorMask } from './errors.js'
import { useQueryLimits } from './graphql-limits.js'
import { renderGraphiQL } from './http/graphiql.js'
import { buildSchema } from './schema.js'
import type { Services } from './services.js'
import { createStore, type StatementObserver } from './store/index.js'

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
  readonly yoga: YogaServerInstance<Record<string, never>, Context>
  /** The whole HTTP surface as a fetch function: tests call it without a port. */
  fetch(request: Request): Promise<Response>
  /** Listens on the configured port (0 picks a free one) and, if enabled, the CVAT-logger port. */
  start(): Promise<{ url: string; port: number; cvatLoggerPort?: number }>
  /** Stops listening, cancels running exports, lets in-flight writes finish, closes the store. */
  stop(): Promise<void>
}

export const GRAPHQL_PATH = '/graphql'

const GRAPHIQL_DEFAULT_QUERY = `# Sign in with basic auth (your browser asks), or send a token in the headers tab.
# Events of the last day, newest first:
query RecentEvents {
  events(first: 20) {
    edges { node { timestamp scope source userName jobId duration } }
    pageInfo { hasNextPage endCursor }
  }
}
`

/** Builds the service: store (migrated), accounts (bootstrapped), ingest, HTTP pipeline. */
export async function buildApp(config: Config, options: AppOptions = {}): Promise<App> {
  const log = options.log ?? createLogger(config.logLevel)
  const store = createStore(config.store, options.observeStore ? { observe: options.observeStore } : {})
  await store.migrate()
  const bootstrap = await ensureAdmin(config.accountsFile, config.adminPassword)
  if (bootstrap.generatedPassword) {
    log.warn(
      `created user 'admin' with password ${bootstrap.generatedPassword} — shown once; set ANALYTICS_ADMIN_PASSWORD or run 'npm run admin -- user set admin --random-password' to change it`,
    )
  }
  const directory = await AccountDirectory.open(config.accountsFile)
  const spool = await Spool.open(config.spoolDir)
  const writer = createEventWriter({
    store,
    spool,
    maxRows: config.insertMaxRows,
    retryMs: config.spoolRetryMs,
    publish: options.publish ?? (() => {}),
    log,
  })
  const ingest = createIngest(writer, { maxEvents: config.maxBatchEvents })
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
  const auth = createAuthenticator(directory)
  const services: Services = { config, log, store, directory, auth, writer, ingest, exports }
  const core: GraphQLCore = {
    auth,
    store,
    ingest,
    exports,
    limits: { maxPageSize: config.maxPageSize, maxBuckets: config.maxBuckets },
  }

  const yoga = createYoga<Record<string, never>, Context>({
    schema: buildSchema(),
    graphqlEndpoint: GRAPHQL_PATH,
    context: ({ request }) => createContext(core, requestInfoOf(request)),
    landingPage: false,
    // yoga's own health check answers an empty body at any URL ending in /health; ours answers JSON.
    healthCheckEndpoint: '/.yoga/health',
    // yoga's own messages go to the service log (it would write to the console).
    logging: {
      debug: (...args: unknown[]) => log.debug('graphql', { detail: args.map(String) }),
      info: (...args: unknown[]) => log.info('graphql', { detail: args.map(String) }),
      warn: (...args: unknown[]) => log.warn('graphql', { detail: args.map(String) }),
      error: (...args: unknown[]) =>
        log.debug('graphql error (answered to the caller)', { detail: args.map(String) }),
    },
    maskedErrors: { maskError: createErrorMask(log) },
    cors: config.corsOrigins.length > 0 ? { origin: [...config.corsOrigins], credentials: true } : false,
    renderGraphiQL,
    graphiql: { title: 'annotation-analytics', defaultQuery: GRAPHIQL_DEFAULT_QUERY },
    plugins: [
      useRequestId(),
      ...useHealthEndpoints({
        readiness: async () => {
          const ready = await store.ping()
          return { ready, details: { store: store.kind, spoolBacklog: writer.spoolBacklog } }
        },
      }),
      useClientAddress(config.trustProxy),
      useBasicAuthChallenge(),
      useValidationStatus(),
      useQueryLimits({
        maxDepth: config.graphqlMaxDepth,
        maxAliases: config.graphqlMaxAliases,
        maxCost: config.graphqlMaxCost,
        defaultPageSize: 50,
        maxPageSize: config.maxPageSize,
      }),
      useRoutes([...ingestRoutes({ ingest, maxBodyBytes: config.maxBodyBytes }), ...exportRoutes(exports)], {
        auth,
        log,
        graphqlPath: GRAPHQL_PATH,
      }),
    ],
  })

  let server: Server | undefined
  let stopLogger: (() => Promise<void>) | undefined

  return {
    services,
    yoga,
    fetch: (request) => Promise.resolve(yoga.fetch(request)),
    async start() {
      server = createServer((req, res) => void yoga(req, res))
      await new Promise<void>((resolve, reject) => {
        server?.once('error', reject)
        server?.listen(config.port, config.host, resolve)
      })
      const { port } = server.address() as AddressInfo
      let cvatLoggerPort: number | undefined
      if (config.cvatLoggerPort !== undefined) {
        const listener = await startCvatLoggerListener(
          { ingest, maxBodyBytes: config.maxBodyBytes, log },
          config.cvatLoggerHost,
          config.cvatLoggerPort,
        )
        stopLogger = listener.stop
        cvatLoggerPort = listener.port
      }
      const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host
      log.info('listening', { url: `http://${host}:${port}`, store: store.kind, cvatLoggerPort })
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
      await exports.close()
      await writer.close()
      await store.close()
    },
  }
}
