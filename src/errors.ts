import { GraphQLError } from 'graphql'

/** Stable codes of the errors a caller is meant to see; anything else is masked. */
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'QUERY_TIMEOUT'
  | 'STORE_UNAVAILABLE'
  | 'INSUFFICIENT_STORAGE'
  | 'TOO_MANY_BUCKETS'
  | 'TOO_COMPLEX'
  | 'RESPONSE_TOO_LARGE'
  | 'SUBSCRIBER_TOO_SLOW'
  | 'NOT_ACCEPTABLE'
  | 'IDENTITY_UNAVAILABLE'
  | 'TOO_MANY_REQUESTS'

/**
 * An expected error. It is a GraphQLError so resolvers can throw it as is (yoga keeps its
 * `extensions.code` and uses `extensions.http.status` as the response status, which Grafana
 * needs to notice a failure); the REST routes answer with the same status and message.
 */
export class AppError extends GraphQLError {
  constructor(
    readonly code: ErrorCode,
    readonly status: number,
    message: string,
    details: Record<string, unknown> = {},
    /** Response headers (yoga sets `extensions.http.headers` on the answer; so do the REST routes). */
    headers: Readonly<Record<string, string>> = {},
  ) {
    const http = Object.keys(headers).length > 0 ? { status, headers } : { status }
    super(message, { extensions: { code, http, ...details } })
    this.name = 'AppError'
  }
}

/**
 * Why the store cannot serve now. Each is about the store, never about the data a caller sent, so
 * a write that meets one is spooled and replayed, and a read is answered 503 with Retry-After.
 * - `unreachable`: no connection, a reset, or a proxy answering 502/503/504 for it
 * - `busy`: ClickHouse answered, but is overloaded or shutting down (too many queries, memory)
 * - `storage`: the engine cannot write to its disk (full, read-only, permission denied)
 * - `not-ready`: the schema is not migrated yet (the service started before the store)
 * - `schema-missing`: the tables went away (a server restarted on an empty volume)
 * - `misconfigured`: see StoreConfigError
 * - `stopping`: the service is stopping and takes no more writes
 */
export type UnavailableReason =
  'unreachable' | 'busy' | 'storage' | 'not-ready' | 'schema-missing' | 'misconfigured' | 'stopping'

/** The store cannot serve now (see UnavailableReason): the caller may spool and retry. */
export class StoreUnavailableError extends Error {
  readonly reason: UnavailableReason
  /** When a retry has a chance, if known (the next migration attempt). */
  readonly retryAfterMs: number | undefined

  constructor(
    message: string,
    options: { cause?: unknown; reason?: UnavailableReason; retryAfterMs?: number } = {},
  ) {
    super(message, options.cause === undefined ? {} : { cause: options.cause })
    this.name = 'StoreUnavailableError'
    this.reason = options.reason ?? 'unreachable'
    this.retryAfterMs = options.retryAfterMs
  }
}

/** What an operator must fix before the store can serve: a start-up with it fails at once. */
export type ConfigProblem =
  'credentials' | 'privileges' | 'too-old' | 'not-clickhouse' | 'url' | 'rollup-feed'

/**
 * The store answers, but this service cannot use it as configured: wrong credentials, missing
 * privileges, a ClickHouse too old for our SQL, a URL that is not ClickHouse's HTTP interface, or
 * a rollup feed (ROLLUP_FEED) the store cannot have.
 * The message is one line naming the cause and the fix. It is a StoreUnavailableError, so writes
 * that meet it later (credentials changed under a running service) are spooled, not lost.
 */
export class StoreConfigError extends StoreUnavailableError {
  constructor(
    readonly problem: ConfigProblem,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, { ...options, reason: 'misconfigured' })
    this.name = 'StoreConfigError'
  }
}

/** The engine cancelled a query that ran longer than its timeout. */
export class QueryTimeoutError extends Error {
  constructor(
    readonly queryName: string,
    readonly timeoutMs: number,
    options?: { cause?: unknown },
  ) {
    super(`query '${queryName}' exceeded its ${timeoutMs} ms timeout`, options)
    this.name = 'QueryTimeoutError'
  }
}

/**
 * The spool cannot keep a block: `limit` (SPOOL_MAX_BYTES reached), `full` (no space left on its
 * disk) or `unwritable` (permission denied, read-only file system). Nothing of the block was kept.
 */
export class SpoolUnavailableError extends Error {
  constructor(
    readonly reason: 'limit' | 'full' | 'unwritable',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options)
    this.name = 'SpoolUnavailableError'
  }
}

/** Seconds a client is told to wait by default before sending again what met an outage. */
const RETRY_AFTER_S = 5
/** … and when the disk is full, which an operator has to fix. */
const STORAGE_RETRY_AFTER_S = 30

/**
 * A 503 that tells the client when to try again (`Retry-After`, RFC 9110 §10.2.3), which CVAT's
 * client and Grafana then see as a failure to retry, not as an answer.
 */
export function unavailable(code: ErrorCode, message: string, retryAfterSeconds: number): AppError {
  const seconds = Math.max(1, Math.ceil(retryAfterSeconds))
  return new AppError(code, 503, message, {}, { 'Retry-After': String(seconds) })
}

export const unauthenticated = (message = 'authentication required: basic auth or a bearer token') =>
  new AppError('UNAUTHENTICATED', 401, message)
export const forbidden = (message: string) => new AppError('FORBIDDEN', 403, message)
export const badInput = (message: string, details: Record<string, unknown> = {}) =>
  new AppError('BAD_USER_INPUT', 400, message, details)
export const notFound = (message: string) => new AppError('NOT_FOUND', 404, message)

/**
 * 503 with `Retry-After`: the identity provider (CVAT) could not say who the caller is. Never a
 * 401, since the caller's credentials may well be right.
 */
export const identityUnavailable = (retryAfterS: number, reason: string) =>
  new AppError(
    'IDENTITY_UNAVAILABLE',
    503,
    `CVAT, which says who you are, cannot be asked now (${reason}); try again in ${retryAfterS} s`,
    { retryAfterS },
    { 'Retry-After': String(retryAfterS) },
  )

/** 429 with `Retry-After` (seconds), for REST and GraphQL alike (yoga sends `extensions.http.headers`). */
export const tooManyRequests = (message: string, retryAfterS: number) => {
  const seconds = Math.max(1, Math.ceil(retryAfterS))
  return new AppError(
    'TOO_MANY_REQUESTS',
    429,
    message,
    { retryAfterSeconds: seconds },
    { 'Retry-After': String(seconds) },
  )
}

/**
 * 400: the answer would be larger than GRAPHQL_MAX_RESPONSE_BYTES. The message names the limit and
 * how to ask for less: `how` is the way this answer is paged or cut (smaller `first`, `after`,
 * `maxLength`, narrower filters).
 */
export const responseTooLarge = (limitBytes: number, how: string) =>
  new AppError(
    'RESPONSE_TOO_LARGE',
    400,
    `the answer would be larger than ${limitBytes} bytes (GRAPHQL_MAX_RESPONSE_BYTES); ${how}`,
    { limitBytes },
  )

/** Turns store failures into coded errors; returns anything else unchanged (to be masked). */
export function toAppError(error: unknown): unknown {
  if (error instanceof AppError) return error
  if (error instanceof QueryTimeoutError) {
    return new AppError(
      'QUERY_TIMEOUT',
      504,
      `the query took longer than ${error.timeoutMs} ms; narrow the time range or filters`,
    )
  }
  if (error instanceof StoreUnavailableError) {
    const seconds = error.retryAfterMs === undefined ? RETRY_AFTER_S : error.retryAfterMs / 1000
    return unavailable('STORE_UNAVAILABLE', storeMessage(error), seconds)
  }
  if (error instanceof SpoolUnavailableError) {
    return unavailable('INSUFFICIENT_STORAGE', spoolMessage(error), STORAGE_RETRY_AFTER_S)
  }
  return error
}

/** What a caller is told; the cause (hosts, paths) stays in the log and on /ready. */
function storeMessage(error: StoreUnavailableError): string {
  switch (error.reason) {
    case 'not-ready':
      return 'the event store is not ready yet; retry later'
    case 'stopping':
      return 'the service is stopping; send again in a moment'
    case 'storage':
      return 'the event store has no space left or cannot write; retry later'
    default:
      return 'the event store is unreachable; retry later'
  }
}

function spoolMessage(error: SpoolUnavailableError): string {
  const kept = 'nothing of this request was kept; send it again later'
  switch (error.reason) {
    case 'limit':
      return `the event store is unavailable and the spool is full (SPOOL_MAX_BYTES): ${kept}`
    case 'full':
      return `the event store is unavailable and the spool's disk is full: ${kept}`
    case 'unwritable':
      return `the event store is unavailable and the spool cannot be written: ${kept}`
  }
}
