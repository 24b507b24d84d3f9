import type { Logger } from '../observability/logger.js'
import { StoreConfigError, StoreUnavailableError, type Store } from '../store/index.js'

/**
 * Where the store stands:
 * - `migrating`: an attempt to reach the store and bring its schema up to date is running
 * - `waiting`: the last attempt failed (`cause`); the next one starts at `retryAt`
 * - `ready`: the schema is in place; reads and inserts go through
 * - `closed`: the service is stopping
 */
export type StorePhase = 'migrating' | 'waiting' | 'ready' | 'closed'

export interface StoreStatus {
  readonly phase: StorePhase
  /** Attempts made so far (1 while the first runs). */
  readonly attempts: number
  /** Why the last attempt failed; undefined once ready. */
  readonly cause?: string
  /** The cause is one an operator must fix (credentials, version, URL): retrying alone will not help. */
  readonly needsOperator?: boolean
  /** Epoch ms of the next attempt, while waiting. */
  readonly retryAt?: number
}

export interface StoreReadinessOptions {
  readonly store: Pick<Store, 'migrate' | 'ping' | 'kind' | 'schemaGaps'>
  readonly log: Logger
  /** Delay before the second attempt; it doubles with each failure. @default 250 */
  readonly firstDelayMs?: number
  /** STORE_RETRY_MAX_MS: the longest delay between attempts. */
  readonly maxDelayMs: number
  /** How long /ready waits for the store's ping. @default 2000 */
  readonly pingTimeoutMs?: number
}

/** How an attempt ended: ready, or the error that stopped it. */
export type AttemptOutcome = { readonly ready: true } | { readonly ready: false; readonly error: unknown }

/** What /ready reports. */
export interface ReadinessReport {
  readonly ready: boolean
  readonly details: Record<string, unknown>
}

/**
 * The store's readiness as a state of its own, so the service starts and serves without it:
 * `start()` runs the migrations (which first check the server's version and our credentials),
 * and retries them with capped exponential backoff, one log line per attempt, until they succeed.
 * Until then `assertReady` refuses reads and inserts with a StoreUnavailableError (the writer
 * spools, the API answers 503 with Retry-After), and the listeners of `onReady` run once it is.
 */
export interface StoreReadiness {
  readonly status: StoreStatus
  readonly ready: boolean
  /** Starts the attempts; resolves with the first one's outcome. */
  start(): Promise<AttemptOutcome>
  /** Resolves once ready. */
  whenReady(): Promise<void>
  /** Throws a StoreUnavailableError (`not-ready`, with a Retry-After) unless ready. */
  assertReady(): void
  /** The schema went away under a running service (a server restarted empty): migrate again. */
  lost(cause: string): void
  /**
   * A statement failed in a way that may mean part of the schema went away: looks (one look at a
   * time, shared by every caller), and migrates again if so. Resolves with what is missing, empty
   * when the schema is whole (the failure was something else).
   */
  verify(): Promise<string[]>
  /** Called each time the store becomes ready. */
  onReady(listener: () => void): void
  /** For /ready: not ready with the cause, or ready and answering a ping. */
  report(): Promise<ReadinessReport>
  /** Stops retrying. */
  close(): void
}

export function createStoreReadiness(options: StoreReadinessOptions): StoreReadiness {
  const { store, log } = options
  const firstDelayMs = options.firstDelayMs ?? 250
  const pingTimeoutMs = options.pingTimeoutMs ?? 2_000
  const listeners: (() => void)[] = []
  const waiters: (() => void)[] = []
  let status: StoreStatus = { phase: 'migrating', attempts: 0 }
  let timer: NodeJS.Timeout | undefined
  let running: Promise<AttemptOutcome> | undefined
  let verifying: Promise<string[]> | undefined
  const closedOutcome: AttemptOutcome = {
    ready: false,
    error: new StoreUnavailableError('the service is stopping', { reason: 'stopping' }),
  }

  const delayAfter = (attempts: number) =>
    Math.min(options.maxDelayMs, firstDelayMs * 2 ** Math.min(30, attempts - 1))

  async function attempt(): Promise<AttemptOutcome> {
    timer = undefined
    if (status.phase === 'closed') return closedOutcome
    const attempts = status.attempts + 1
    status = { phase: 'migrating', attempts, ...(status.cause ? { cause: status.cause } : {}) }
    try {
      await store.migrate()
    } catch (error) {
      if (status.phase === 'closed') return closedOutcome
      const needsOperator = error instanceof StoreConfigError
      const cause = causeOf(error)
      const delay = delayAfter(attempts)
      status = { phase: 'waiting', attempts, cause, needsOperator, retryAt: Date.now() + delay }
      const line = `store not ready (attempt ${attempts}): ${cause}; next attempt in ${seconds(delay)} s`
      // A first attempt that needs an operator stops the start, with a line of its own (see
      // firstStoreAttempt); later ones (credentials changed under a running service) are errors.
      if (!needsOperator) log.warn(line)
      else if (attempts > 1) log.error(line)
      log.debug('store attempt failed', { attempt: attempts, error })
      timer = setTimeout(() => void attempt(), delay)
      timer.unref()
      return { ready: false, error }
    }
    if (status.phase === 'closed') return closedOutcome
    status = { phase: 'ready', attempts }
    log.info('store ready', { store: store.kind, attempts })
    for (const resolve of waiters.splice(0)) resolve()
    for (const listener of listeners) listener()
    return { ready: true }
  }

  return {
    get status() {
      return status
    },
    get ready() {
      return status.phase === 'ready'
    },
    start() {
      running ??= attempt()
      return running
    },
    whenReady() {
      if (status.phase === 'ready') return Promise.resolve()
      return new Promise((resolve) => waiters.push(resolve))
    },
    assertReady() {
      if (status.phase === 'ready') return
      const retryAfterMs =
        status.retryAt === undefined ? firstDelayMs : Math.max(0, status.retryAt - Date.now())
      throw new StoreUnavailableError(`the event store is not ready: ${status.cause ?? 'starting'}`, {
        reason: 'not-ready',
        retryAfterMs,
      })
    },
    lost(cause) {
      if (status.phase !== 'ready') return
      log.warn(`store lost its schema (${cause}); migrating again`)
      status = { phase: 'waiting', attempts: status.attempts, cause, retryAt: Date.now() }
      timer = setTimeout(() => void attempt(), 0)
      timer.unref()
    },
    verify() {
      verifying ??= store
        .schemaGaps()
        .then((gaps) => {
          if (gaps.length > 0) this.lost(`the schema is missing ${describeGaps(gaps)}`)
          return gaps
        })
        .catch((error: unknown) => {
          log.debug('could not look at the schema', { error })
          return []
        })
        .finally(() => {
          verifying = undefined
        })
      return verifying
    },
    onReady(listener) {
      listeners.push(listener)
    },
    async report() {
      if (status.phase !== 'ready') {
        return {
          ready: false,
          details: {
            phase: status.phase,
            cause: status.cause ?? 'starting',
            attempts: status.attempts,
            ...(status.retryAt === undefined
              ? {}
              : { nextAttemptAt: new Date(status.retryAt).toISOString() }),
          },
        }
      }
      const answered = await withTimeout(store.ping(), pingTimeoutMs)
      if (answered === true) return { ready: true, details: {} }
      return {
        ready: false,
        details: {
          cause:
            answered === undefined
              ? `the store did not answer a ping within ${pingTimeoutMs} ms`
              : 'the store does not answer (ping failed)',
        },
      }
    },
    close() {
      status = { phase: 'closed', attempts: status.attempts }
      clearTimeout(timer)
    },
  }
}

/** The first few of what the schema lacks, for one line. */
export function describeGaps(gaps: readonly string[]): string {
  const shown = gaps.slice(0, 3).join(', ')
  return gaps.length > 3 ? `${shown} and ${gaps.length - 3} more` : shown
}

/** One line for logs and /ready: our errors say it already; others are the engine's first line. */
function causeOf(error: unknown): string {
  if (error instanceof StoreUnavailableError) return error.message
  const message = error instanceof Error ? error.message : String(error)
  return message.split('\n', 1)[0] ?? message
}

const seconds = (ms: number) => Math.round(ms / 100) / 10

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms)
  })
  return Promise.race([promise.catch(() => false as T), timeout]).finally(() => clearTimeout(timer))
}
