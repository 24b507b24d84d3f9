import type { TypedDocumentNode } from '@graphql-typed-document-node/core'
import { print } from 'graphql'
import type { TestApp } from './app.js'

export interface GraphQLResult<T> {
  readonly status: number
  readonly data: T | null
  readonly errors:
    { message: string; path?: string[]; extensions?: { code?: string; [key: string]: unknown } }[] | undefined
  readonly headers: Headers
  /** The operation and variables sent, for failure messages. */
  readonly sent: { query: string; variables: unknown }
}

/**
 * Runs a typed operation through the app's fetch (no port). `expectOk` fails the test with the
 * query, variables and the whole answer when the operation did not succeed.
 */
export async function graphql<T, V extends Record<string, unknown>>(
  t: TestApp,
  document: TypedDocumentNode<T, V>,
  variables: V,
  headers: Record<string, string> = {},
): Promise<GraphQLResult<T>> {
  const query = print(document)
  const res = await t.request('POST', '/graphql', { headers, body: { query, variables } })
  const body = (await res.json()) as { data?: T | null; errors?: GraphQLResult<T>['errors'] }
  return {
    status: res.status,
    data: body.data ?? null,
    errors: body.errors,
    headers: res.headers,
    sent: { query, variables },
  }
}

export function expectOk<T>(result: GraphQLResult<T>, context = ''): T {
  if (result.status !== 200 || result.errors || result.data === null) {
    const answer = JSON.stringify({ data: result.data, errors: result.errors }, null, 2)
    throw new Error(
      `GraphQL operation failed ${context}(HTTP ${result.status})\n${result.sent.query}\nvariables: ${JSON.stringify(result.sent.variables)}\nanswer: ${answer}`,
    )
  }
  return result.data
}

/** The error code of a failed operation, for `expect(codeOf(r)).toBe('FORBIDDEN')`. */
export function codeOf(result: GraphQLResult<unknown>): string | undefined {
  return result.errors?.[0]?.extensions?.code
}
