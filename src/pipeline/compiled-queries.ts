import { useGraphQlJit } from '@envelop/graphql-jit'
import {
  getOperationAST,
  GraphQLError,
  OperationTypeNode,
  type DocumentNode,
  type ExecutionResult,
  type Source,
} from 'graphql'
import type { Plugin } from 'graphql-yoga'

/**
 * Queries asked again run compiled (graphql-jit): a dashboard's panels ask the same documents at
 * every refresh, and for an answer of many small objects (a month of per-user activity is 24k
 * points) graphql-js's execution (a path, a resolver call and a completion per field of every
 * point) and its garbage cost more than the statement. A document is compiled the second time
 * it is asked, so a one-off query (GraphiQL, a script) does not pay the compilation. Mutations and
 * subscriptions run as before. The answers are graphql-js's, errors included
 * (tests/integration/compiled-queries.test.ts).
 */
export function useCompiledQueries(): Plugin[] {
  const seen = new WeakSet<DocumentNode>()
  const compiled = useGraphQlJit(
    {},
    {
      enableIf: ({ document, operationName }) => {
        if (getOperationAST(document, operationName)?.operation !== OperationTypeNode.QUERY) return false
        if (seen.has(document)) return true
        seen.add(document)
        return false
      },
    },
  ) as Plugin
  return [compiled, useGraphQLJsErrors()]
}

/**
 * graphql-jit's errors carry their locations as numbers, without the document's nodes, and yoga
 * writes an error's locations from its nodes (or source and positions): they would go out with
 * none. Each is made again as graphql-js makes it, at the same places, and the answer's keys put
 * in graphql-js's order.
 */
function useGraphQLJsErrors(): Plugin {
  return {
    onExecute({ args }) {
      const source = (args.document as DocumentNode).loc?.source
      return {
        onExecuteDone({ result, setResult }) {
          const single = result as ExecutionResult
          if (Symbol.asyncIterator in single || !single.errors?.some(isCompiledError)) return
          const { errors, ...rest } = single
          setResult({ errors: errors.map((e) => (isCompiledError(e) ? remade(e, source) : e)), ...rest })
        },
      }
    },
  }
}

/** An error of a compiled query: its locations without nodes. */
const isCompiledError = (error: GraphQLError) =>
  error.nodes === undefined && error.source === undefined && (error.locations?.length ?? 0) > 0

function remade(error: GraphQLError, source: Source | undefined): GraphQLError {
  return new GraphQLError(error.message, {
    ...(source ? { source, positions: (error.locations ?? []).map((l) => offsetOf(source.body, l)) } : {}),
    ...(error.path ? { path: error.path } : {}),
    ...(error.originalError ? { originalError: error.originalError } : {}),
    ...(error.extensions ? { extensions: error.extensions } : {}),
  })
}

/** The character offset of a 1-based line and column in `body`. */
function offsetOf(body: string, { line, column }: { line: number; column: number }): number {
  let offset = 0
  for (let l = 1; l < line; l++) {
    const end = body.indexOf('\n', offset)
    if (end < 0) break
    offset = end + 1
  }
  return offset + column - 1
}
