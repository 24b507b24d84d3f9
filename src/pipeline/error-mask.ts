import { GraphQLError } from 'graphql'
import { maskError as yogaMaskError } from 'graphql-yoga'
import { AppError, toAppError } from '../errors.js'

const originals = new WeakMap<object, unknown>()

/**
 * The unexpected error a masked one stands for (undefined for anything else): useFaultReports
 * reports those that no earlier layer did (errors of plugins, and of serialising the answer).
 */
export function maskedOriginal(error: unknown): unknown {
  return error !== null && typeof error === 'object' ? originals.get(error) : undefined
}

/**
 * yoga's error mask: expected errors keep their code and status (store timeouts become
 * QUERY_TIMEOUT on the way out); anything else reaches the caller as INTERNAL_SERVER_ERROR
 * without details, and is remembered (maskedOriginal) so that it is reported with its request.
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
    const masked = yogaMaskError(error, message, false)
    // yoga's mask lets GraphQL's own errors through (a coded one, a variable that is not an Int).
    if (masked !== error) originals.set(masked, original ?? error)
    return masked
  }
}
