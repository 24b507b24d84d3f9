import path from 'node:path'
import { MIN_PASSWORD_LENGTH } from './auth/passwords.js'

/**
 * The service's configuration. `loadConfig` is the only code that reads the environment: every
 * other module receives the values it needs from here. Each option documents its variable and
 * default; docs/configuration.md lists the same table.
 */
export interface Config {
  /** `PORT`: HTTP port of the API. @default 8080 */
  readonly port: number
  /** `HOST`: address the API binds to. @default '0.0.0.0' */
  readonly host: string
  /** `DATA_DIR`: the embedded store, the spool, exports and the accounts file live here. @default './data' */
  readonly dataDir: string
  /** Where events are stored: the embedded engine under `DATA_DIR/clickhouse`, or a ClickHouse server. */
  readonly store: StoreConfig
  /** `ANALYTICS_ADMIN_PASSWORD`: password of the bootstrap `admin`; unset: a random one is printed on first start. */
  readonly adminPassword: string | undefined
  /** `ACCOUNTS_FILE`: users, organizations, memberships and tokens. @default DATA_DIR/accounts.json */
  readonly accountsFile: string
  /** `MAX_BODY_BYTES`: largest request body accepted; larger is 413. @default 10485760 (10 MiB) */
  readonly maxBodyBytes: number
  /** `MAX_BATCH_EVENTS`: most events in one request; more is 413. @default 10000 */
  readonly maxBatchEvents: number
  /** `INSERT_MAX_ROWS`: most rows one group-committed insert carries. @default 100000 */
  readonly insertMaxRows: number
  /** `SPOOL_DIR`: batches accepted while a ClickHouse server is unreachable wait here. @default DATA_DIR/spool */
  readonly spoolDir: string
  /** `SPOOL_RETRY_MS`: how often a non-empty spool retries the store. @default 2000 */
  readonly spoolRetryMs: number
  /** `SPOOL_MAX_BYTES`: most bytes the spool holds; past it, ingest answers 503 instead of acknowledging. @default 1073741824 (1 GiB) */
  readonly spoolMaxBytes: number
  /** `STORE_RETRY_MAX_MS`: longest wait between attempts to reach and migrate the store (the wait doubles from 250 ms). @default 30000 */
  readonly storeRetryMaxMs: number
  /** `SHUTDOWN_TIMEOUT_MS`: a stop (SIGTERM) answers what is in flight and exits within this long. @default 8000 */
  readonly shutdownTimeoutMs: number
  /** `CVAT_LOGGER_PORT`: port of the listener for CVAT's server logger; unset: off. */
  readonly cvatLoggerPort: number | undefined
  /** `CVAT_LOGGER_HOST`: bind address of that listener. @default '127.0.0.1' */
  readonly cvatLoggerHost: string
  /** `TRUST_PROXY`: take the client address from `X-Forwarded-For` (behind a reverse proxy). @default false */
  readonly trustProxy: boolean
  /** `LOG_LEVEL`: `debug`, `info`, `warn` or `error`. @default 'info' */
  readonly logLevel: LogLevel
  /** `MAX_PAGE_SIZE`: the largest `first` a paginated query accepts. @default 1000 */
  readonly maxPageSize: number
  /** `CORS_ORIGINS`: comma-separated origins allowed to call the API from browsers; empty: none. @default '' */
  readonly corsOrigins: readonly string[]
  /** `MAX_BUCKETS`: the most points a time series may have (range / interval); more is TOO_MANY_BUCKETS. @default 10000 */
  readonly maxBuckets: number
  /** `GRAPHQL_MAX_DEPTH`: deepest selection nesting an operation may have. @default 12 */
  readonly graphqlMaxDepth: number
  /** `GRAPHQL_MAX_ALIASES`: most aliased fields in one operation. @default 30 */
  readonly graphqlMaxAliases: number
  /** `GRAPHQL_MAX_COST`: most estimated work (fields × page sizes) in one operation. @default 200000 */
  readonly graphqlMaxCost: number
  /**
   * `GRAPHQL_MAX_RESPONSE_BYTES`: the largest answer a query may have, and the most bytes of large
   * texts (`objVal`, `objName`, `payload`) one operation may read from the store; past it the
   * answer is RESPONSE_TOO_LARGE, decided before it is built. Also bounds REST answers that are not
   * streamed (the working-time, productivity and job-flow CSVs, ingest's echo). @default 33554432 (32 MiB)
   */
  readonly graphqlMaxResponseBytes: number
  /**
   * `RESPONSE_CACHE_TTL_MS`: a query's answer is reused this long for callers with the same rights
   * and the same operation (repeat dashboard refreshes); Grafana's moving ranges are aligned to it,
   * so a panel may lag up to about twice this (docs/api.md). Keep it at most the dashboards'
   * refresh. 0: off. @default 5000
   */
  readonly responseCacheTtlMs: number
  /** `GRAPHQL_MAX_TOKENS`: most lexical tokens in one GraphQL document, counted while parsing. @default 2000 */
  readonly graphqlMaxTokens: number
  /** `GRAPHQL_MAX_DIRECTIVES`: most directives in one operation. @default 20 */
  readonly graphqlMaxDirectives: number
  /** `EXPORT_DIR`: export files and the record of each export beside its file. @default DATA_DIR/exports */
  readonly exportDir: string
  /** `EXPORT_TTL_HOURS`: an export's file and status are deleted this long after it ends (fractions allowed). @default 24 */
  readonly exportTtlHours: number
  /** `EXPORT_CONCURRENCY`: exports running at once; more wait in a queue. @default 2 */
  readonly exportConcurrency: number
  /** `EXPORT_USER_CONCURRENCY`: exports one user runs at once; more of theirs wait. @default 1 */
  readonly exportUserConcurrency: number
  /** `EXPORT_WINDOW_ROWS`: most rows one export query sorts; an export is a sequence of such time windows. @default 250000 */
  readonly exportWindowRows: number
  /** `EXPORT_QUERY_TIMEOUT_MS`: each query of an export (one time window) is cancelled after this long. @default 600000 */
  readonly exportQueryTimeoutMs: number
  /** CVAT as the identity provider: on when `CVAT_URL` is set, undefined otherwise. */
  readonly cvat: CvatConfig | undefined
  /** `AUTH_FAILURES_PER_USER`: failed sign-ins for one username within the window before 429. @default 10 */
  readonly authMaxFailuresPerUser: number
  /** `AUTH_FAILURES_PER_ADDR`: failed sign-ins from one client address within the window before 429. @default 50 */
  readonly authMaxFailuresPerAddress: number
  /** `AUTH_FAILURE_WINDOW_S`: the window of those counts; a refused caller may try again when it ends. @default 300 */
  readonly authFailureWindowS: number
  /** `AUTH_HASH_CONCURRENCY`: password hashes checked at once (each ~50 ms of a core and 32 MiB). @default 2 */
  readonly authHashConcurrency: number
  /**
   * `RATE_LIMIT_INGEST`: ingest requests (`POST /api/events`, `/api/events/server`) per user per
   * minute, whichever of the user's credentials they use; 0: no limit. A person's CVAT page sends
   * about one a minute (a batch every 90 s, and at saves); this stops scripts and runaway loops.
   * @default 1200
   */
  readonly rateLimitIngestPerMinute: number
  /**
   * `RATE_LIMIT_INGEST_TOKEN`: ingest requests per ingest token per minute (a host application
   * such as CVAT's server, which sends every user's events); 0: no limit. About six times what a
   * busy CVAT sends (~30 requests a second with 2,000 annotators at work; the estimate is in src/auth/rate-limits.ts).
   * @default 12000
   */
  readonly rateLimitIngestTokenPerMinute: number
  /** `RATE_LIMIT_GRAPHQL`: GraphQL operations per principal per minute; 0: no limit. @default 1800 */
  readonly rateLimitGraphqlPerMinute: number
  /** `RATE_LIMIT_EXPORTS`: exports one user may have queued or running at once; more is 429. @default 4 */
  readonly rateLimitExports: number
  /** `RATE_LIMIT_SUBSCRIPTIONS`: live subscriptions one user may hold at once; more is 429. @default 20 */
  readonly rateLimitSubscriptions: number
  /** Live subscriptions (GraphQL over WebSocket and SSE). */
  readonly live: LiveConfig
  /** Browser sessions: the web pages' sign-in form (`src/auth/sessions.ts`). */
  readonly sessions: SessionConfig
  /** Alert rules and their notifications (`src/alerts/`, docs/alerts.md). */
  readonly alerts: AlertConfig
}

/** How a browser stays signed in after the sign-in form: a signed, expiring cookie. */
export interface SessionConfig {
  /**
   * `SESSION_SECRET`: the key session cookies are signed with (at least 32 characters). Give every
   * replica the same one, so a session opened on one works on all. Unset: a random key kept in
   * `sessionKeyFile`, created at the first start (enough for one replica, or replicas sharing DATA_DIR's key file).
   */
  readonly secret: string | undefined
  /** Where the key lives when `SESSION_SECRET` is unset: DATA_DIR/session.key (0600). */
  readonly keyFile: string
  /** `SESSION_TTL_HOURS`: a session ends this long after its sign-in (fractions allowed). @default 12 */
  readonly ttlHours: number
}

/** Alert rules: where their webhooks may go and where their notifications link to. */
export interface AlertConfig {
  /**
   * `ALERT_WEBHOOK_ALLOW_PRIVATE`: webhooks may go to loopback, private and link-local addresses
   * (a chat server inside your network). Off, such URLs are refused, also when a public name
   * resolves to one at delivery time. @default false
   */
  readonly allowPrivateWebhooks: boolean
  /**
   * `ALERT_LINK_URL`: the address of the Grafana that shows this service's dashboards, as people
   * open it; notifications link to the events in question there. @default 'http://localhost:3000'
   */
  readonly linkUrl: string
}

/** How committed events reach subscribers (`src/live/`). */
export interface LiveConfig {
  /**
   * `REDIS_URL`: Redis through which replicas hand each other committed events (`redis://` or
   * `rediss://`); unset: one replica, events go to subscribers in process and nothing of Redis is loaded.
   */
  readonly redisUrl: string | undefined
  /**
   * `LIVE_BUFFER_EVENTS`: events a subscriber may still have waiting when the next batch comes;
   * more and it is dropped (4429). A buffer holds at most this plus one batch. @default 10000
   */
  readonly bufferEvents: number
  /**
   * `LIVE_KEEPALIVE_MS`: WebSocket ping interval (a client that misses a pong for as long is cut off)
   * and interval of the keep-alive comments of SSE streams; 0: none. @default 12000
   */
  readonly keepAliveMs: number
  /** `LIVE_RECHECK_S`: subscribers' credentials are checked again this often, and whenever the accounts file changes; 0: only then. @default 60 */
  readonly recheckS: number
}

/** How callers the accounts file does not know are authenticated by CVAT (`src/auth/cvat/`). */
export interface CvatConfig {
  /** `CVAT_URL`: CVAT's address as this service reaches it, e.g. `http://cvat_server:8080`; unset: off. */
  readonly url: string
  /** `CVAT_TIMEOUT_MS`: each request to CVAT (body included) is abandoned after this long. @default 5000 */
  readonly timeoutMs: number
  /** `CVAT_AUTH_TTL_S`: how long CVAT's answer about a credential is used without asking again. @default 60 */
  readonly authTtlS: number
  /** `CVAT_AUTH_FAILURE_TTL_S`: how long CVAT's 401 for a credential is remembered. @default 10 */
  readonly authFailureTtlS: number
  /**
   * `CVAT_AUTH_GRACE_S`: while CVAT is unreachable or failing, an identity it confirmed this long
   * past its TTL still works (long enough to ride out a CVAT restart or upgrade, short enough that a
   * removed user is not served for long). @default 300
   */
  readonly authGraceS: number
  /** `CVAT_AUTH_CACHE_SIZE`: most identities cached, least recently used dropped first. @default 10000 */
  readonly authCacheSize: number
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error'

/** How the rollups are kept (store/rollups/feed.ts); the same on either engine. */
export interface RollupFeedConfig {
  /**
   * `ROLLUP_FEED`: `pass` (a pass in the background counts what was inserted since the last; an
   * insert costs only its own write, and reads take the rows not yet passed from the raw table),
   * `view` (materialized views count every insert inside it), or `auto`: a pass where the store
   * can have one (chDB, one server from ClickHouse 25.6), else views. Fixed when the rollup tables
   * are created. @default 'auto'
   */
  readonly rollupFeed: 'auto' | 'pass' | 'view'
  /**
   * `ROLLUP_PASS_MS`: how often a pass looks for new events. Answers are exact whatever it is (the
   * rows not passed yet are read raw); a longer wait leaves more of them to read. 0: no passes
   * (benchmarks). @default 1000
   */
  readonly rollupPassMs: number
}

export type StoreConfig =
  | (RollupFeedConfig & {
      readonly kind: 'embedded'
      /** The engine's data directory: DATA_DIR/clickhouse. */
      readonly path: string
      readonly database: string
      readonly queryTimeoutMs: number
      readonly retentionDays: number
      readonly useRollups: boolean
    })
  | (RollupFeedConfig & {
      readonly kind: 'server'
      /** `CLICKHOUSE_URL`, e.g. `http://clickhouse:8123`. */
      readonly url: string
      /** `CLICKHOUSE_USER`. @default 'default' */
      readonly username: string
      /** `CLICKHOUSE_PASSWORD`. @default '' */
      readonly password: string
      /** `CLICKHOUSE_DATABASE`. @default 'default' */
      readonly database: string
      /** `QUERY_TIMEOUT_MS`: every query is cancelled by the engine after this long. @default 30000 */
      readonly queryTimeoutMs: number
      /** `RETENTION_DAYS`: events older than this are dropped by a TTL; 0 keeps everything. @default 0 */
      readonly retentionDays: number
      /**
       * `ROLLUPS`: `off` makes every aggregation read the raw table (the engine still keeps the
       * rollups up to date), to tell a rollup problem from another one. @default true
       */
      readonly useRollups: boolean
      /**
       * `CLICKHOUSE_CLUSTER`: a cluster of the server's `remote_servers`; set, tables are replicated
       * per shard and read through Distributed tables (docs/scaling.md). Unset: one server.
       */
      readonly cluster: string | undefined
    })

/** Raised with every problem found in the environment at once. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
    this.name = 'ConfigError'
  }
}

type Env = Readonly<Record<string, string | undefined>>

/** Reads and validates the environment; throws a ConfigError naming every bad variable. */
export function loadConfig(env: Env): Config {
  const problems: string[] = []
  const read = new EnvReader(env, problems)

  const dataDir = path.resolve(read.string('DATA_DIR', './data'))
  const queryTimeoutMs = read.int('QUERY_TIMEOUT_MS', 30_000, 100, 3_600_000)
  const retentionDays = read.int('RETENTION_DAYS', 0, 0, 365_000)
  const useRollups = read.bool('ROLLUPS', true)
  const feed: RollupFeedConfig = {
    rollupFeed: read.oneOf('ROLLUP_FEED', ['auto', 'pass', 'view'] as const, 'auto'),
    rollupPassMs: read.int('ROLLUP_PASS_MS', 1_000, 0, 3_600_000),
  }
  const database = read.string('CLICKHOUSE_DATABASE', 'default')
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(database)) {
    problems.push(`CLICKHOUSE_DATABASE must be a plain identifier, got '${database}'`)
  }
  const url = read.optionalUrl('CLICKHOUSE_URL')
  const cluster = read.optionalString('CLICKHOUSE_CLUSTER')
  if (cluster !== undefined && !/^[A-Za-z0-9_.-]+$/.test(cluster))
    problems.push(`CLICKHOUSE_CLUSTER must be a cluster name (letters, digits, _ . -), got '${cluster}'`)
  if (cluster !== undefined && !url)
    problems.push('CLICKHOUSE_CLUSTER needs CLICKHOUSE_URL (the embedded store is one process)')
  const store: StoreConfig = url
    ? {
        kind: 'server',
        url,
        username: read.string('CLICKHOUSE_USER', 'default'),
        password: read.string('CLICKHOUSE_PASSWORD', ''),
        database,
        queryTimeoutMs,
        retentionDays,
        useRollups,
        cluster,
        ...feed,
      }
    : {
        kind: 'embedded',
        path: path.join(dataDir, 'clickhouse'),
        database,
        queryTimeoutMs,
        retentionDays,
        useRollups,
        ...feed,
      }

  const config: Config = {
    port: read.int('PORT', 8080, 0, 65_535),
    host: read.string('HOST', '0.0.0.0'),
    dataDir,
    store,
    adminPassword: read.optionalSecret('ANALYTICS_ADMIN_PASSWORD', MIN_PASSWORD_LENGTH),
    accountsFile: path.resolve(read.string('ACCOUNTS_FILE', path.join(dataDir, 'accounts.json'))),
    maxBodyBytes: read.int('MAX_BODY_BYTES', 10 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    maxBatchEvents: read.int('MAX_BATCH_EVENTS', 10_000, 1, 1_000_000),
    insertMaxRows: read.int('INSERT_MAX_ROWS', 100_000, 1, 10_000_000),
    spoolDir: path.resolve(read.string('SPOOL_DIR', path.join(dataDir, 'spool'))),
    spoolRetryMs: read.int('SPOOL_RETRY_MS', 2_000, 10, 3_600_000),
    spoolMaxBytes: read.int('SPOOL_MAX_BYTES', 1024 ** 3, 1024, 2 ** 50),
    storeRetryMaxMs: read.int('STORE_RETRY_MAX_MS', 30_000, 100, 3_600_000),
    shutdownTimeoutMs: read.int('SHUTDOWN_TIMEOUT_MS', 8_000, 100, 600_000),
    cvatLoggerPort: read.optionalInt('CVAT_LOGGER_PORT', 0, 65_535),
    cvatLoggerHost: read.string('CVAT_LOGGER_HOST', '127.0.0.1'),
    trustProxy: read.bool('TRUST_PROXY', false),
    logLevel: read.oneOf('LOG_LEVEL', ['debug', 'info', 'warn', 'error'] as const, 'info'),
    maxPageSize: read.int('MAX_PAGE_SIZE', 1000, 1, 100_000),
    corsOrigins: read.list('CORS_ORIGINS'),
    maxBuckets: read.int('MAX_BUCKETS', 10_000, 10, 1_000_000),
    graphqlMaxDepth: read.int('GRAPHQL_MAX_DEPTH', 12, 2, 100),
    graphqlMaxAliases: read.int('GRAPHQL_MAX_ALIASES', 30, 0, 10_000),
    graphqlMaxCost: read.int('GRAPHQL_MAX_COST', 200_000, 100, 100_000_000),
    graphqlMaxResponseBytes: read.int(
      'GRAPHQL_MAX_RESPONSE_BYTES',
      32 * 1024 * 1024,
      1024,
      256 * 1024 * 1024,
    ),
    responseCacheTtlMs: read.int('RESPONSE_CACHE_TTL_MS', 5_000, 0, 60_000),
    graphqlMaxTokens: read.int('GRAPHQL_MAX_TOKENS', 2_000, 100, 100_000),
    graphqlMaxDirectives: read.int('GRAPHQL_MAX_DIRECTIVES', 20, 0, 1_000),
    exportDir: path.resolve(read.string('EXPORT_DIR', path.join(dataDir, 'exports'))),
    exportTtlHours: read.number('EXPORT_TTL_HOURS', 24, 0.0001, 24 * 365),
    exportConcurrency: read.int('EXPORT_CONCURRENCY', 2, 1, 64),
    exportUserConcurrency: read.int('EXPORT_USER_CONCURRENCY', 1, 1, 64),
    exportWindowRows: read.int('EXPORT_WINDOW_ROWS', 250_000, 1, 100_000_000),
    exportQueryTimeoutMs: read.int('EXPORT_QUERY_TIMEOUT_MS', 600_000, 100, 86_400_000),
    cvat: readCvatConfig(read),
    authMaxFailuresPerUser: read.int('AUTH_FAILURES_PER_USER', 10, 1, 1_000_000),
    authMaxFailuresPerAddress: read.int('AUTH_FAILURES_PER_ADDR', 50, 1, 1_000_000),
    authFailureWindowS: read.int('AUTH_FAILURE_WINDOW_S', 300, 1, 86_400),
    authHashConcurrency: read.int('AUTH_HASH_CONCURRENCY', 2, 1, 64),
    rateLimitIngestPerMinute: read.int('RATE_LIMIT_INGEST', 1_200, 0, 10_000_000),
    rateLimitIngestTokenPerMinute: read.int('RATE_LIMIT_INGEST_TOKEN', 12_000, 0, 10_000_000),
    rateLimitGraphqlPerMinute: read.int('RATE_LIMIT_GRAPHQL', 1_800, 0, 10_000_000),
    rateLimitExports: read.int('RATE_LIMIT_EXPORTS', 4, 1, 10_000),
    rateLimitSubscriptions: read.int('RATE_LIMIT_SUBSCRIPTIONS', 20, 1, 100_000),
    live: {
      redisUrl: read.optionalUrl('REDIS_URL', ['redis:', 'rediss:'], 'a redis:// or rediss:// URL'),
      bufferEvents: read.int('LIVE_BUFFER_EVENTS', 10_000, 1, 10_000_000),
      keepAliveMs: read.int('LIVE_KEEPALIVE_MS', 12_000, 0, 3_600_000),
      recheckS: read.int('LIVE_RECHECK_S', 60, 0, 86_400),
    },
    sessions: {
      secret: read.optionalSecret('SESSION_SECRET', 32),
      keyFile: path.join(dataDir, 'session.key'),
      ttlHours: read.number('SESSION_TTL_HOURS', 12, 0.001, 24 * 90),
    },
    alerts: {
      allowPrivateWebhooks: read.bool('ALERT_WEBHOOK_ALLOW_PRIVATE', false),
      linkUrl: read.optionalUrl('ALERT_LINK_URL') ?? 'http://localhost:3000',
    },
  }
  if (problems.length > 0) throw new ConfigError(problems)
  return deepFreeze(config)
}

/** The CVAT options are checked even while `CVAT_URL` is unset, so a typo shows before it is set. */
function readCvatConfig(read: EnvReader): CvatConfig | undefined {
  const url = read.optionalUrl('CVAT_URL')
  const options = {
    timeoutMs: read.int('CVAT_TIMEOUT_MS', 5_000, 100, 60_000),
    authTtlS: read.int('CVAT_AUTH_TTL_S', 60, 0, 86_400),
    authFailureTtlS: read.int('CVAT_AUTH_FAILURE_TTL_S', 10, 0, 3_600),
    authGraceS: read.int('CVAT_AUTH_GRACE_S', 300, 0, 86_400),
    authCacheSize: read.int('CVAT_AUTH_CACHE_SIZE', 10_000, 10, 10_000_000),
  }
  return url === undefined ? undefined : { url, ...options }
}

class EnvReader {
  constructor(
    private readonly env: Env,
    private readonly problems: string[],
  ) {}

  private raw(name: string): string | undefined {
    const value = this.env[name]?.trim()
    return value === '' ? undefined : value
  }

  string(name: string, fallback: string): string {
    return this.raw(name) ?? fallback
  }

  optionalString(name: string): string | undefined {
    return this.raw(name)
  }

  int(name: string, fallback: number, min: number, max: number): number {
    return this.optionalInt(name, min, max) ?? fallback
  }

  optionalInt(name: string, min: number, max: number): number | undefined {
    const value = this.raw(name)
    if (value === undefined) return undefined
    const n = Number(value)
    if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(n) || n < min || n > max) {
      this.problems.push(`${name} must be an integer from ${min} to ${max}, got '${value}'`)
      return undefined
    }
    return n
  }

  number(name: string, fallback: number, min: number, max: number): number {
    const value = this.raw(name)
    if (value === undefined) return fallback
    const n = Number(value)
    if (!/^\d+(\.\d+)?$/.test(value) || n < min || n > max) {
      this.problems.push(`${name} must be a number from ${min} to ${max}, got '${value}'`)
      return fallback
    }
    return n
  }

  bool(name: string, fallback: boolean): boolean {
    const value = this.raw(name)?.toLowerCase()
    if (value === undefined) return fallback
    if (['1', 'true', 'yes', 'on'].includes(value)) return true
    if (['0', 'false', 'no', 'off'].includes(value)) return false
    this.problems.push(`${name} must be true or false, got '${value}'`)
    return fallback
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const value = this.raw(name)
    if (value === undefined) return fallback
    if ((allowed as readonly string[]).includes(value)) return value as T
    this.problems.push(`${name} must be one of ${allowed.join(', ')}, got '${value}'`)
    return fallback
  }

  list(name: string): string[] {
    return (this.raw(name) ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '')
  }

  optionalUrl(
    name: string,
    protocols: readonly string[] = ['http:', 'https:'],
    kind = 'an http(s) URL',
  ): string | undefined {
    const value = this.raw(name)
    if (value === undefined) return undefined
    try {
      const url = new URL(value)
      if (!protocols.includes(url.protocol)) throw new Error('protocol')
      return value
    } catch {
      this.problems.push(`${name} must be ${kind}, got '${value}'`)
      return undefined
    }
  }

  optionalSecret(name: string, minLength: number): string | undefined {
    const value = this.env[name]
    if (value === undefined || value === '') return undefined
    if (value.length < minLength) this.problems.push(`${name} must be at least ${minLength} characters long`)
    return value
  }
}

function deepFreeze<T extends object>(value: T): T {
  for (const child of Object.values(value)) {
    if (child && typeof child === 'object') deepFreeze(child as object)
  }
  return Object.freeze(value)
}
