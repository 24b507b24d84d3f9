import { GraphQLError } from 'graphql'
import { maskError as yogaMaskError } from 'graphql-yoga'
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
  | 'TOO_MANY_BUCKETS'
  | 'TOO_COMPLEX'
  | 'SUBSCRIBER_TOO_SLOW'
  | 'NOT_ACCEPTABLE'

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
  ) {
    super(message, { extensions: { code, http: { status }, ...details } })
    this.name = 'AppError'
  }
}

export const unauthenticated = (message = 'authentication required: basic auth or a bearer token') =>
  new AppError('UNAUTHENTICATED', 401, message)
export const forbidden = (message: string) => new AppError('FORBIDDEN', 403, message)
export const badInput = (message: string, details: Record<string, unknown> = {}) =>
  new AppError('BAD_USER_INPUT', 400, message, details)
export const notFound = (message: string) => new AppError('NOT_FOUND', 404, message)

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
  if (error instanceof StoreUnavailableError)
    return new AppError('STORE_UNAVAILABLE', 503, 'the event store is unreachable')
  return error
}

/**
 * yoga's error mask: expected errors keep their code and status (store timeouts become
 * QUERY_TIMEOUT on the way out); anything else reaches the caller as INTERNAL_SERVER_ERROR
 * without details (useFaultReports has reported it by then).
 */
export function createErrorMask() {
  return (error: unknown, message: string, isDev?: boolean): Error => {
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
    return yogaMaskError(error, message, isDev)
  }
}
