import { GraphQLError, type ExecutionResult } from 'graphql'
import type { Plugin } from 'graphql-yoga'

const SUGGESTION = /\s*Did you mean [^?]*\?/g

/**
 * HTTP statuses for GraphQL answers that Grafana (which only notices a status of 400 or more) and
 * plain HTTP clients can rely on, whatever the Accept header:
 * - an answer without data (a request error: no query, a parse or validation failure, bad
 *   variables) is at least 400, and 500 when what failed was ours;
 * - an answer whose data is null because of errors takes the highest status its errors carry
 *   (401, 403, 429, 504…), 500 for a masked unexpected one, and 400 otherwise;
 * - partial data with field errors stays 200, as GraphQL over HTTP says.
 * It also hides "Did you mean …" suggestions from every message (graphql-armor hides them from
 * validation; variable coercion makes its own), so nothing of the schema leaks through errors.
 */
export function useGraphQLStatus(): Plugin {
  return {
    onResultProcess(event) {
      const { result } = event
      if (Array.isArray(result) || !isExecutionResult(result)) return
      const errors = result.errors ?? []
      if (errors.length === 0) return
      const withoutSuggestions = errors.map(unsuggest)
      const failed = result.data === undefined || result.data === null
      const status = failed ? failureStatus(withoutSuggestions) : undefined
      const extensions = result.extensions
      const http = (extensions?.http ?? {}) as { status?: number }
      event.setResult({
        ...result,
        errors: withoutSuggestions.map((error) => (failed ? withoutSpecStatus(error) : error)),
        ...(status === undefined
          ? {}
          : { extensions: { ...extensions, http: { ...http, status: Math.max(http.status ?? 0, status) } } }),
      })
    },
  }
}

function isExecutionResult(value: unknown): value is ExecutionResult {
  return value !== null && typeof value === 'object' && !(Symbol.asyncIterator in value)
}

function failureStatus(errors: readonly GraphQLError[]): number {
  let status = 400
  for (const error of errors) {
    const extensions = error.extensions as { http?: { status?: number }; unexpected?: boolean }
    if (extensions.unexpected) status = Math.max(status, 500)
    const own = extensions.http?.status
    if (own !== undefined && own >= 400) status = Math.max(status, own)
  }
  return status
}

/** yoga skips statuses marked `spec` for JSON clients (GraphQL over HTTP's legacy rule); we do not. */
function withoutSpecStatus(error: GraphQLError): GraphQLError {
  const http = (error.extensions as { http?: { spec?: boolean } }).http
  if (!http?.spec) return error
  return copy(error, error.message, { ...error.extensions, http: { ...http, spec: false } })
}

function unsuggest(error: GraphQLError): GraphQLError {
  const message = error.message.replace(SUGGESTION, '')
  return message === error.message ? error : copy(error, message, error.extensions)
}

function copy(error: GraphQLError, message: string, extensions: GraphQLError['extensions']): GraphQLError {
  return new GraphQLError(message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions,
  })
}
