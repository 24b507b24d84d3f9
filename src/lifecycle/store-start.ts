import type { Config, StoreConfig } from '../config.js'
import type { Logger } from '../observability/logger.js'
import type { StoreReadiness } from './store-readiness.js'
import {
  answerOf,
  createStore,
  EngineUnavailableError,
  QueryTimeoutError,
  StoreConfigError,
  StoreUnavailableError,
  type Store,
  type StoreOptions,
} from '../store/index.js'
import { redactUrl, StartupError } from './startup-error.js'

/**
 * How long the start waits for a ClickHouse server's first attempt (version, credentials,
 * migrations) before it serves anyway and keeps trying: long enough that a server which is up
 * is ready when the port opens, and that wrong credentials stop the start with their own line.
 */
const SERVER_WAIT_MS = 3_000

/** Opens the store; a CLICKHOUSE_URL the client refuses, or a store chDB cannot open, stops the start. */
export function openStore(config: StoreConfig, options: StoreOptions): Store {
  try {
    return createStore(config, options)
  } catch (error) {
    // No engine for this platform: the error names the way out (CLICKHOUSE_URL) itself.
    if (error instanceof EngineUnavailableError) throw new StartupError(error.message, error)
    const first = error instanceof Error ? (error.message.split('\n', 1)[0] ?? '') : String(error)
    if (config.kind === 'server') {
      throw new StartupError(
        `CLICKHOUSE_URL ${redactUrl(config.url)} is not usable: ${first}; fix CLICKHOUSE_URL`,
        error,
      )
    }
    throw new StartupError(
      `the embedded store in ${config.path} could not be opened (${first}); if another process uses it, stop it or give this instance another DATA_DIR`,
      error,
    )
  }
}

/**
 * The store's first attempt, at start. An embedded store is waited for (there is nothing to wait
 * for but the disk); a server for at most SERVER_WAIT_MS, after which the service serves and the
 * readiness keeps trying. A problem only an operator can fix (credentials, privileges, version,
 * a URL that is not ClickHouse) stops the start with one line; anything else does not.
 */
export async function firstStoreAttempt(
  readiness: StoreReadiness,
  config: Config,
  log: Logger,
): Promise<void> {
  const attempt = readiness.start()
  const outcome =
    config.store.kind === 'embedded'
      ? await attempt
      : await Promise.race([attempt, delay(SERVER_WAIT_MS).then(() => undefined)])
  if (outcome === undefined) {
    log.warn(`the store has not answered within ${SERVER_WAIT_MS / 1000} s; serving without it until it does`)
    return
  }
  if (outcome.ready) return
  const { error } = outcome
  if (error instanceof StoreConfigError) throw new StartupError(operatorLine(error, config.store), error)
  if (config.store.kind === 'embedded' && !isTransient(error)) {
    const first = error instanceof Error ? error.message.split('\n', 1)[0] : String(error)
    throw new StartupError(
      `the embedded store in ${config.store.path} could not be prepared: ${first}`,
      error,
    )
  }
}

/** Store problems an operator must fix, as the line that says what to change. */
function operatorLine(error: StoreConfigError, store: StoreConfig): string {
  if (store.kind === 'embedded') return `the embedded store cannot be used: ${error.message}`
  const url = redactUrl(store.url)
  switch (error.problem) {
    case 'credentials':
      return `ClickHouse at ${url} refused user '${store.username}' (${clickHouseType(error)}); check CLICKHOUSE_USER and CLICKHOUSE_PASSWORD`
    case 'privileges':
      return `ClickHouse user '${store.username}' at ${url} lacks a privilege this service needs (${error.message}); grant it CREATE, ALTER, INSERT and SELECT on database '${store.database}', or use another CLICKHOUSE_USER`
    case 'too-old':
    case 'rollup-feed':
      return `${error.message} (CLICKHOUSE_URL ${url})`
    case 'not-clickhouse':
    case 'url': {
      const cause = error.cause instanceof Error ? ` (it answered ${answerOf(error.cause)})` : ''
      return `CLICKHOUSE_URL ${url} does not answer as ClickHouse's HTTP interface${cause}; point it at ClickHouse's HTTP port (8123, or 8443 with TLS)`
    }
  }
}

/** Errors that may go away by themselves: the store unavailable (disk full), a timeout. */
function isTransient(error: unknown): boolean {
  return error instanceof StoreUnavailableError || error instanceof QueryTimeoutError
}

/** ClickHouse's name for the error behind ours (AUTHENTICATION_FAILED…). */
function clickHouseType(error: StoreConfigError): string {
  const type = (error.cause as { type?: unknown } | undefined)?.type
  return typeof type === 'string' && type !== '' ? type : 'authentication failed'
}

const delay = (ms: number) =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, ms).unref()
  })
