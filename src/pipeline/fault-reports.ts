import { GraphQLError, type ExecutionResult } from 'graphql'
import { useErrorHandler, type Plugin } from 'graphql-yoga'
import { AppError, toAppError } from '../errors.js'
import type { FaultReporter } from '../observability/faults.js'
import { maskedOriginal } from './error-mask.js'
import { requestIdOf } from './request-id.js'

/**
 * Reports the unexpected errors of GraphQL requests (not the coded ones a caller is meant to see,
 * nor a client's own parse or validation mistakes) with the request's id, each once:
 * - those of resolvers and of serialising field values, as the operation ends, with the field's
 *   path, before yoga masks them for the caller;
 * - those of building the context, where it is built (envelop hands them over re-wrapped);
 * - whatever else yoga masked (a plugin that threw, an answer that could not be serialised), as
 *   the masked answer goes out.
 */
export function useFaultReports(report: FaultReporter): Plugin {
  return {
    ...executionFaults(report),
    onResultProcess({ request, result }) {
      for (const single of Array.isArray(result) ? result : [result]) {
        if (single === null || typeof single !== 'object' || Symbol.asyncIterator in single) continue
        for (const error of (single as ExecutionResult).errors ?? []) {
          const original = maskedOriginal(error)
          if (original !== undefined) report(original, { where: 'graphql', requestId: requestIdOf(request) })
        }
      }
    },
  }
}

function executionFaults(report: FaultReporter): Plugin {
  return useErrorHandler(({ errors, context, phase }) => {
    if (phase !== 'execution') return
    const requestId = requestIdIn(context)
    for (const error of errors) {
      const original = error instanceof GraphQLError ? (error.originalError ?? null) : error
      // GraphQL's own errors outside any field (a variable that is not an Int, a bad enum value)
      // are the caller's; within a field (a value we failed to serialise) they are ours.
      const callers = original instanceof GraphQLError && !(error instanceof GraphQLError && error.path)
      if (original === null || callers || toAppError(original) instanceof AppError) continue
      const path = error instanceof GraphQLError ? error.path?.join('.') : undefined
      report(original, {
        where: 'graphql',
        ...(requestId ? { requestId } : {}),
        ...(path ? { operation: path } : {}),
      })
    }
  })
}

/** The request id of an operation, from its execution arguments' context. */
function requestIdIn(args: unknown): string | undefined {
  const id = (args as { contextValue?: { requestId?: unknown } } | null)?.contextValue?.requestId
  return typeof id === 'string' ? id : undefined
}

/** Builds a context, reporting what goes wrong other than the caller's own fault (401, 403…). */
export async function reportingFaults<T>(
  report: FaultReporter,
  requestId: string,
  build: () => Promise<T>,
): Promise<T> {
  try {
    return await build()
  } catch (error) {
    if (!(toAppError(error) instanceof AppError)) report(error, { where: 'graphql', requestId })
    throw error
  }
}
