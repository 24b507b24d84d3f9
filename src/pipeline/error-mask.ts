import { GraphQLError } from 'graphql'
import { maskError as yogaMaskError } from 'graphql-yoga'
import { AppError, toAppError } from '../errors.js'

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
