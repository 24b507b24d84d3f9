import { useLocation } from 'preact-iso'
import { useCallback, useMemo } from 'preact/hooks'

/** A change to the URL's query: a value sets, null or '' removes (`org=''` is kept: the personal workspace, chosen). */
export type ParamChanges = Readonly<Record<string, string | null | undefined>>

/** Parameters whose empty value means something: `org=` is the personal workspace, chosen rather than defaulted. */
const KEEP_EMPTY = new Set(['org'])

function apply(target: URLSearchParams, changes: ParamChanges): void {
  for (const [key, value] of Object.entries(changes)) {
    if (value === null || value === undefined || (value === '' && !KEEP_EMPTY.has(key))) target.delete(key)
    else target.set(key, value)
  }
}

/**
 * The page's query string, and a way to change it: every filter, the time range and the
 * organization live in the URL, so a link shows the same view and Back undoes a change.
 */
export function useSearch(): [
  URLSearchParams,
  (changes: ParamChanges, options?: { replace?: boolean; path?: string }) => void,
] {
  const location = useLocation()
  const params = useMemo(() => new URL(location.url, window.location.origin).searchParams, [location.url])
  const update = useCallback(
    (changes: ParamChanges, options: { replace?: boolean; path?: string } = {}) => {
      const next = new URLSearchParams(new URL(location.url, window.location.origin).search)
      apply(next, changes)
      const query = next.toString()
      location.route(`${options.path ?? location.path}${query ? `?${query}` : ''}`, options.replace ?? false)
    },
    [location],
  )
  return [params, update]
}

/** A comma-separated list parameter (`users=3,7`). */
export function listParam(params: URLSearchParams, key: string): string[] {
  return (params.get(key) ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '')
}

/** The query string of `keys` of `params` (to carry the org, time range and filters into a link). */
export function carried(params: URLSearchParams, keys: readonly string[], extra: ParamChanges = {}): string {
  const next = new URLSearchParams()
  for (const key of keys) {
    const value = params.get(key)
    if (value !== null) next.set(key, value)
  }
  apply(next, extra)
  const query = next.toString()
  return query ? `?${query}` : ''
}
