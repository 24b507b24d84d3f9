import { useEffect, useRef, useState } from 'preact/hooks'
import type { TypedDocumentString } from '../gql/graphql'
import { ApiError, runOperation } from './client'

export interface QueryState<R> {
  /** The latest answer; kept while the next one loads, so panels do not flash. */
  readonly data: R | undefined
  readonly error: ApiError | undefined
  readonly loading: boolean
}

/**
 * Runs an operation whenever its variables or organization change (null variables: not now),
 * cancelling the one still under way. The answer stays until the next one replaces it.
 */
export function useQuery<R, V>(
  document: TypedDocumentString<R, V>,
  variables: V | null,
  org: string | null,
  tick = 0,
): QueryState<R> {
  const [state, setState] = useState<QueryState<R>>({
    data: undefined,
    error: undefined,
    loading: variables !== null,
  })
  const key = variables === null ? null : `${org ?? ''}\u0000${tick}\u0000${JSON.stringify(variables)}`
  const latest = useRef(key)
  latest.current = key
  useEffect(() => {
    if (key === null || variables === null) return
    const controller = new AbortController()
    setState((s) => ({ ...s, loading: true }))
    runOperation(document, variables, { org, signal: controller.signal }).then(
      (data) => {
        if (latest.current === key) setState({ data, error: undefined, loading: false })
      },
      (error: unknown) => {
        if (controller.signal.aborted || latest.current !== key) return
        const failure = error instanceof ApiError ? error : new ApiError(String(error), 'ERROR', 0, null)
        setState({ data: undefined, error: failure, loading: false })
      },
    )
    return () => controller.abort()
    // The key holds everything the request depends on.
  }, [key])
  return state
}
