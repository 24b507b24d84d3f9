import { GraphQLError } from 'graphql'
import type { Plugin } from 'graphql-yoga'

/**
 * An operation that fails validation (an unknown field, a wrong argument) is answered with HTTP
 * 400 whatever the Accept header, because Grafana's Infinity data source only notices a failure
 * by its status; the error keeps GraphQL's GRAPHQL_VALIDATION_FAILED code.
 */
export function useValidationStatus(): Plugin {
  return {
    onValidate() {
      return ({ result, setResult }) => {
        if (result.length === 0) return
        setResult(
          (result as readonly GraphQLError[]).map(
            (error) =>
              new GraphQLError(error.message, {
                nodes: error.nodes,
                source: error.source,
                positions: error.positions,
                path: error.path,
                originalError: error.originalError,
                // spec: false, or yoga's own validation hook marks the status as one JSON clients should not see.
                extensions: {
                  code: 'GRAPHQL_VALIDATION_FAILED',
                  ...error.extensions,
                  http: { status: 400, spec: false },
                },
              }),
          ),
        )
      }
    },
  }
}
