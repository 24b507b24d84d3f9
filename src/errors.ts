import { GraphQLError } from 'graphql'
import { maskError as yogaMaskError } from 'graphql-yoga'
import { SpoolUnavailableError } from './ingest/spool.js'
import { QueryTimeoutError, StoreUnavailableError } from './store/index.js'

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

/**
 * yoga's error mask: expected errors keep their code and status (store timeouts become
 * QUERY_TIMEOUT on the way out); anything else reaches the caller as INTERNAL_SERVER_ERROR
 * without details (useFaultReports has reported it by then).
 */
export function createErrorMask() {
  return (error: unknown, message: string): Error => {
    const original = error instanceof GraphQLError ? error.originalError : error
    const mapped = toAppError(original)
    if (mapped instanceof AppError && error instanceof GraphQLError) {
      if (mapped === original) return error
      return new GraphQLError(mapped.message, {
        nodes: error.nodes,
        path: error.path,
        extensions: mapped.extensions,
      })
    }
    if (mapped instanceof AppError) return mapped
    // Never in development mode either: the original error (and its stack) must not reach a caller.
    return yogaMaskError(error, message, false)
  }
}
