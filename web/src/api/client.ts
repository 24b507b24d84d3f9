import type { TypedDocumentString } from '../gql/graphql'
import { csrfToken, servicePath } from './base'

/** An error the API answered (or the network's), with what a page needs to show it well. */
export class ApiError extends Error {
  constructor(
    message: string,
    /** The API's `extensions.code` (`UNAUTHENTICATED`, `FORBIDDEN`, `STORE_UNAVAILABLE`, …), or `NETWORK`. */
    readonly code: string,
    readonly status: number,
    /** `X-Request-Id` of the answer: the service log names it. */
    readonly requestId: string | null,
    /** Extensions beyond the code (`session`: `expired` when a session ended). */
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

interface GraphQLAnswer<T> {
  data?: T | null
  errors?: { message: string; extensions?: Record<string, unknown> }[]
}

/** Told about every 401, so the app can show the sign-in form with the reason. */
let onUnauthenticated: ((error: ApiError) => void) | undefined
export function whenUnauthenticated(listener: (error: ApiError) => void): void {
  onUnauthenticated = listener
}

/**
 * Runs one of the typed operations of schema/operations (codegen'd into ../gql) in the
 * organization `org` (null: the personal workspace), by POST with the page's credentials (the
 * session cookie and its CSRF token). An answer with errors is an ApiError, partial data included:
 * a panel shows its error rather than half its figures.
 */
export async function runOperation<R, V>(
  document: TypedDocumentString<R, V>,
  variables: V,
  options: { org: string | null; signal?: AbortSignal },
): Promise<R> {
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    Accept: 'application/graphql-response+json, application/json',
    'X-Requested-With': 'annotation-analytics',
  }
  const csrf = csrfToken()
  if (csrf) headers['X-CSRFToken'] = csrf
  if (options.org) headers['X-Organization'] = options.org
  let response: Response
  try {
    response = await fetch(servicePath('/graphql'), {
      method: 'POST',
      credentials: 'same-origin',
      headers,
      body: JSON.stringify({ query: document.toString(), variables }),
      ...(options.signal ? { signal: options.signal } : {}),
    })
  } catch (error) {
    if (options.signal?.aborted) throw error
    throw new ApiError(
      'The service cannot be reached. Check your connection and try again.',
      'NETWORK',
      0,
      null,
    )
  }
  const requestId = response.headers.get('x-request-id')
  let answer: GraphQLAnswer<R>
  try {
    answer = (await response.json()) as GraphQLAnswer<R>
  } catch {
    throw new ApiError(
      `The service answered ${response.status} without a result.`,
      'HTTP',
      response.status,
      requestId,
    )
  }
  const first = answer.errors?.[0]
  if (first) {
    const { code, ...details } = first.extensions ?? {}
    const error = new ApiError(
      first.message,
      typeof code === 'string' ? code : 'ERROR',
      response.status,
      requestId,
      details,
    )
    if (error.code === 'UNAUTHENTICATED') onUnauthenticated?.(error)
    throw error
  }
  if (!answer.data) throw new ApiError('The answer holds no data.', 'HTTP', response.status, requestId)
  return answer.data
}

/** A REST call of this service (sign-in, sign-out), its JSON answer or an ApiError. */
export async function callRest<T>(method: string, path: string, body?: unknown): Promise<T | null> {
  const headers: Record<string, string> = { 'X-Requested-With': 'annotation-analytics' }
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  const csrf = csrfToken()
  if (csrf) headers['X-CSRFToken'] = csrf
  let response: Response
  try {
    response = await fetch(servicePath(path), {
      method,
      credentials: 'same-origin',
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
  } catch {
    throw new ApiError(
      'The service cannot be reached. Check your connection and try again.',
      'NETWORK',
      0,
      null,
    )
  }
  if (response.status === 204) return null
  const answer = (await response.json().catch(() => null)) as (T & { message?: string; code?: string }) | null
  if (!response.ok) {
    throw new ApiError(
      answer?.message ?? `The service answered ${response.status}.`,
      answer?.code ?? 'HTTP',
      response.status,
      response.headers.get('x-request-id'),
    )
  }
  return answer
}
