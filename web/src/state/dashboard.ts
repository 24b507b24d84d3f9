import { createContext } from 'preact'
import { useContext, useMemo } from 'preact/hooks'
import type { EventFilter } from '../gql/graphql'
import { DEFAULT_FROM, DEFAULT_TO, resolveRange, type ResolvedRange } from './time'
import { listParam, useSearch } from './url'

/** The URL's filter parameters, the dashboards' variables, and the EventFilter field each sets. */
export const FILTERS = [
  { key: 'users', field: 'userIds', label: 'Users' },
  { key: 'projects', field: 'projectIds', label: 'Projects' },
  { key: 'tasks', field: 'taskIds', label: 'Tasks' },
  { key: 'jobs', field: 'jobIds', label: 'Jobs' },
  { key: 'scopes', field: 'scopes', label: 'Scopes' },
  { key: 'sources', field: 'sources', label: 'Sources' },
] as const

export type FilterKey = (typeof FILTERS)[number]['key']

/** What a link to another page carries: the organization, the time range and the filters. */
export const VIEW_KEYS: readonly string[] = ['org', 'from', 'to', 'refresh', ...FILTERS.map((f) => f.key)]

/** The refresh clock: pages read `tick` (it moves the range when it follows now), the bar moves it. */
export const RefreshContext = createContext<{ tick: number; refresh: () => void }>({
  tick: 0,
  refresh: () => undefined,
})

export interface View {
  /** The organization's slug; null: the personal workspace. */
  readonly org: string | null
  readonly range: ResolvedRange
  /** The filters of the URL (those of `keys`) with the range. */
  readonly filter: EventFilter
  readonly params: URLSearchParams
  readonly tick: number
}

/** Rounds now to 5 s, so panels asked in the same moment share the server's cached answers. */
const NOW_GRAIN_MS = 5_000

/**
 * The view a page shows, from the URL: organization, time range (resolved at the last refresh)
 * and the filters it takes (`keys`; the others in the URL are kept for other pages, not applied).
 */
export function useView(
  keys: readonly FilterKey[] = FILTERS.map((f) => f.key),
  defaultFrom: string | undefined = DEFAULT_FROM,
): View {
  const [params] = useSearch()
  const { tick } = useContext(RefreshContext)
  const fromText = params.get('from') ?? defaultFrom ?? DEFAULT_FROM
  const toText = params.get('to') ?? DEFAULT_TO
  const org = params.get('org') || null
  const keyText = keys.map((k) => `${k}=${params.get(k) ?? ''}`).join('&')
  return useMemo(() => {
    const now = Math.floor(Date.now() / NOW_GRAIN_MS) * NOW_GRAIN_MS
    const range = resolveRange(fromText, toText, now)
    const filter: Record<string, unknown> = {
      from: new Date(range.from).toISOString(),
      to: new Date(range.to).toISOString(),
    }
    for (const { key, field } of FILTERS) {
      if (!keys.includes(key)) continue
      const values = listParam(params, key)
      if (values.length > 0) filter[field] = values
    }
    return { org, range, filter, params, tick }
    // keyText stands for the filter parameters (params itself is a new object at every render).
  }, [fromText, toText, org, keyText, tick])
}
