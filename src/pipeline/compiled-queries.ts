import {
  getOperationAST,
  GraphQLError,
  OperationTypeNode,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type Source,
} from 'graphql'
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit'
import type { Plugin } from 'graphql-yoga'

/**
 * Queries asked again run compiled (graphql-jit): a dashboard's panels ask the same documents at
 * every refresh, and for an answer of many small objects (a month of per-user activity is 24k
 * points) graphql-js's execution (a path, a resolver call and a completion per field of every
 * point) and its garbage cost more than the statement. A document is compiled the second time
 * it is asked, so a one-off query (GraphiQL, a script) does not pay the compilation; one that
 * graphql-jit cannot compile keeps running in graphql-js. Mutations and subscriptions run as
 * before. The answers are graphql-js's, errors included (tests/integration/compiled-queries.test.ts).
 */
export function useCompiledQueries(): Plugin {
  /** Per document, per operation name: null until asked twice, false when it does not compile. */
  const compiled = new WeakMap<DocumentNode, Map<string, CompiledQuery | false | null>>()
  const compiledFor = (args: ExecutionArgs): CompiledQuery | null => {
    const { document, operationName, schema } = args
    if (getOperationAST(document, operationName)?.operation !== OperationTypeNode.QUERY) return null
    let byName = compiled.get(document)
    if (!byName) compiled.set(document, (byName = new Map<string, CompiledQuery | false | null>()))
    const name = operationName ?? ''
    const known = byName.get(name)
    if (known === undefined) {
      byName.set(name, null)
      return null
    }
    if (known !== null) return known || null
    const result = compileQuery(schema, document, operationName ?? undefined)
    const query = isCompiledQuery(result) ? result : false
    byName.set(name, query)
    return query || null
  }
  return {
    onExecute({ args, setExecuteFn }) {
      const query = compiledFor(args)
      if (!query) return
      setExecuteFn((a: ExecutionArgs) => query.query(a.rootValue, a.contextValue, a.variableValues))
      const source = (args.document as DocumentNode).loc?.source
      return {
        onExecuteDone({ result, setResult }) {
          const single = result as ExecutionResult
          if (Symbol.asyncIterator in single || !single.errors?.length) return
          // graphql-jit's errors carry their locations as numbers, without the document's nodes, and
          // yoga writes an error's locations from its nodes (or source and positions): they would
          // go out with none. Each is made again as graphql-js makes it, the keys in its order.
          const { errors, ...rest } = single
          setResult({ errors: errors.map((e) => remade(e, source)), ...rest })
        },
      }
    },
  }
}

function remade(error: GraphQLError, source: Source | undefined): GraphQLError {
  if (error.nodes !== undefined || error.source !== undefined || !error.locations?.length) return error
  return new GraphQLError(error.message, {
    ...(source ? { source, positions: error.locations.map((l) => offsetOf(source.body, l)) } : {}),
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
