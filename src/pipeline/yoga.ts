import { usePrometheus } from '@graphql-yoga/plugin-prometheus'
import { createYoga, type YogaServerInstance } from 'graphql-yoga'
import { createContext, type Context, type GraphQLCore } from '../context.js'
import { createErrorMask } from './error-mask.js'
import { useCompiledQueries } from './compiled-queries.js'
import { useGraphQLResponseCache } from './response-cache.js'
import { reportingFaults, useFaultReports } from './fault-reports.js'
import { useOperationLimits } from './operation-limits.js'
import { useBasicAuthChallenge } from './auth-challenge.js'
import { useClientAddress } from './client-address.js'
import { useCsrfGuard } from './csrf.js'
import { useEarlyAuthentication } from './early-auth.js'
import { useOperationRate } from './operation-rate.js'
import { exportRoutes } from '../transports/rest/export-routes.js'
import { useForwardedPrefix } from './forwarded-prefix.js'
import { renderGraphiQL } from '../transports/rest/graphiql.js'
import { useGraphQLBodyLimits } from './graphql-body.js'
import { useGraphQLStatus } from './graphql-status.js'
import { HEALTH_PATH, READY_PATH, useHealthEndpoints } from './health.js'
import { ingestRoutes } from '../transports/rest/ingest-routes.js'
import { useInputFieldNames } from './input-field-names.js'
import { useJsonErrors } from './json-errors.js'
import { METRICS_PATH, useMetricsAccess } from './metrics-access.js'
import { useRequestId } from './request-id.js'
import { useResponseBytes } from './response-bytes.js'
import { requestInfoOf } from '../transports/request-info.js'
import { useRoutes } from './routes.js'
import { useServerSentEvents } from './server-sent-events.js'
import { useSharedLiveResults } from './shared-live-results.js'
import { useWebApp } from './web-app.js'
import { webSocketOperationOf } from '../transports/websocket-operation.js'
import { jobFlowCsvRoute, productivityCsvRoute } from '../transports/rest/productivity-csv.js'
import { workingTimeCsvRoute } from '../transports/rest/working-time-csv.js'
import { sessionRoutes } from '../transports/rest/session-routes.js'
import { buildSchema } from '../schema.js'
import type { Services } from '../services.js'

export const GRAPHQL_PATH = '/graphql'

export type Yoga = YogaServerInstance<Record<string, never>, Context>

const GRAPHIQL_DEFAULT_QUERY = `# Sign in with basic auth (your browser asks), or send a token in the headers tab.
# Events of the last day, newest first:
query RecentEvents {
  events(first: 20) {
    edges { node { timestamp scope source userName jobId duration } }
    pageInfo { hasNextPage endCursor }
  }
}
`

export interface YogaOptions {
  /**
   * Queries asked again run compiled (compiled-queries.ts). Off only to compare with graphql-js's
   * execution (bench/queries.ts). @default true
   */
  readonly compiledQueries?: boolean
}

/**
 * The whole HTTP surface as one yoga pipeline: request ids, health, metrics, GraphQL (with
 * GraphiQL), and the REST routes; every request described by requestInfoOf and authenticated by
 * the one context function.
 */
export function createYogaServer(services: Services, options: YogaOptions = {}): Yoga {
  const { config, log, store, writer, ingest, exports, auth, report, metrics, rateLimits, live, alerts } =
    services
  const core: GraphQLCore = {
    auth,
    store,
    ingest,
    exports,
    limits: {
      maxPageSize: config.maxPageSize,
      maxBuckets: config.maxBuckets,
      maxResponseBytes: config.graphqlMaxResponseBytes,
    },
    live,
    alerts,
  }
  return createYoga<Record<string, never>, Context>({
    schema: buildSchema(),
    graphqlEndpoint: GRAPHQL_PATH,
    // One context factory for HTTP, SSE and WebSocket operations (src/transports/websocket.ts passes
    // its operation's RequestInfo and channel in the initial context; HTTP has its Request).
    context: (initial) => {
      const socket = webSocketOperationOf(initial)
      const info = socket?.info ?? requestInfoOf(initial.request)
      return reportingFaults(report, info.requestId, () => createContext(core, info, socket?.channel))
    },
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
    maskedErrors: { maskError: createErrorMask() },
    // Credentials (cookies) only for the configured origins; a page there may read Retry-After (503, 429).
    cors:
      config.corsOrigins.length > 0
        ? {
            origin: [...config.corsOrigins],
            credentials: true,
            exposedHeaders: ['Retry-After', 'X-Request-Id'],
          }
        : false,
    renderGraphiQL,
    // Queries by GET: a browser signed in by CVAT's session cookie needs no CSRF header for them.
    graphiql: { title: 'annotation-analytics', defaultQuery: GRAPHIQL_DEFAULT_QUERY, useGETForQueries: true },
    plugins: [
      useRequestId(),
      ...useHealthEndpoints({
        report,
        readiness: async () => {
          const { ready, details } = await services.readiness.report()
          return {
            ready,
            details: {
              store: store.kind,
              ...details,
              spoolBacklog: writer.spoolBacklog,
              spoolBytes: writer.spoolBytes,
            },
          }
        },
      }),
      useClientAddress(config.trustProxy),
      useForwardedPrefix(config.trustProxy),
      // /metrics only for a metrics token or an admin; the guard ends other requests there first.
      useMetricsAccess(auth, report),
      usePrometheus({
        registry: metrics.registry,
        endpoint: METRICS_PATH,
        metrics: {
          graphql_envelop_request_duration: true,
          graphql_envelop_error_result: true,
          graphql_yoga_http_duration: true,
          graphql_envelop_request_time_summary: false,
          graphql_envelop_phase_parse: false,
          graphql_envelop_phase_validate: false,
          graphql_envelop_phase_context: false,
          graphql_envelop_phase_execute: false,
          graphql_envelop_phase_subscribe: false,
          graphql_envelop_deprecated_field: false,
          graphql_envelop_schema_change: false,
        },
      }),
      useJsonErrors(),
      useCsrfGuard(config.corsOrigins),
      useBasicAuthChallenge(),
      useGraphQLBodyLimits(config.maxBodyBytes),
      useEarlyAuthentication(auth, report),
      useOperationRate(auth, rateLimits.graphql),
      useGraphQLStatus(),
      useInputFieldNames(),
      useFaultReports(report),
      // Before the cache: an answer replaced by RESPONSE_TOO_LARGE is never cached.
      useResponseBytes(),
      // Before the cache too: an operation refused for its cost never reaches the cache's executor.
      ...useOperationLimits({
        maxTokens: config.graphqlMaxTokens,
        maxDepth: config.graphqlMaxDepth,
        maxAliases: config.graphqlMaxAliases,
        maxDirectives: config.graphqlMaxDirectives,
        maxCost: config.graphqlMaxCost,
      }),
      // Before the cache, which then runs the compiled query on a miss.
      ...((options.compiledQueries ?? true) ? [useCompiledQueries()] : []),
      useGraphQLResponseCache({
        ttlMs: config.responseCacheTtlMs,
        onLookup: (result) => metrics.responseCache.inc({ result }),
      }),
      useSharedLiveResults(),
      useServerSentEvents({ keepAliveMs: config.live.keepAliveMs }),
      useWebApp({ reserved: [GRAPHQL_PATH, '/api', HEALTH_PATH, READY_PATH, METRICS_PATH, '/.yoga'] }),
      useRoutes(
        [
          ...ingestRoutes({
            ingest,
            maxBodyBytes: config.maxBodyBytes,
            maxResponseBytes: config.graphqlMaxResponseBytes,
            rate: rateLimits.ingest,
          }),
          ...exportRoutes(exports),
          workingTimeCsvRoute(store, config.graphqlMaxResponseBytes),
          productivityCsvRoute(store, config.graphqlMaxResponseBytes),
          jobFlowCsvRoute(store, config.graphqlMaxResponseBytes),
          ...sessionRoutes({ auth, directory: services.directory, sessions: services.sessions }),
        ],
        {
          auth,
          report,
          graphqlPath: GRAPHQL_PATH,
        },
      ),
    ],
  })
}
