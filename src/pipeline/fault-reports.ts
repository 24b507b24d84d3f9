import { GraphQLError } from 'graphql'
import { useErrorHandler, type Plugin } from 'graphql-yoga'
import { AppError, toAppError } from '../errors.js'
import type { FaultReporter } from '../observability/faults.js'

/**
 * Reports the unexpected errors of GraphQL operations (not the coded ones a caller is meant to
 * see, nor a client's own parse or validation mistakes) with the operation's request id, before
 * yoga masks them for the caller. Errors of building the context are reported where it is built
 * (envelop hands them over re-wrapped, without their identity).
 */
export function useFaultReports(report: FaultReporter): Plugin {
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
