import DataLoader from 'dataloader'
import type { AuthorizedFilter, TimeRange } from '../domain/filter.js'
import { bucketStarts } from '../domain/time-buckets.js'
import type { EntityKind, EntitySpan, Store, TimeBucket } from '../store/index.js'
import { stableKey } from './stable-key.js'

export interface WorkingTimeTotal {
  readonly ms: number
  readonly actions: number
}

/**
 * Per-request loaders for fields of jobs, tasks, projects and users: asking one field of many
 * entities (a list of 100 jobs with their working time) becomes one store query. There is one
 * loader per distinct (field, kind, filter, …), so entities asked with the same arguments batch
 * together and different arguments never mix.
 */
export interface EntityLoaders {
  workingTime(kind: EntityKind, filter: AuthorizedFilter): DataLoader<string, WorkingTimeTotal>
  span(kind: EntityKind, filter: AuthorizedFilter): DataLoader<string, EntitySpan | null>
  activity(
    kind: EntityKind,
    filter: AuthorizedFilter,
    range: TimeRange,
    intervalMs: number,
  ): DataLoader<string, TimeBucket[]>
}

export function createEntityLoaders(store: Store): EntityLoaders {
  const loaders = new Map<string, DataLoader<string, unknown>>()
  function family<V>(key: unknown, batch: (ids: readonly string[]) => Promise<V[]>): DataLoader<string, V> {
    const cacheKey = stableKey(key)
    let loader = loaders.get(cacheKey) as DataLoader<string, V> | undefined
    if (!loader) {
      loader = new DataLoader<string, V>(batch)
      loaders.set(cacheKey, loader)
    }
    return loader
  }

  return {
    workingTime: (kind, filter) =>
      family(['workingTime', kind, filter], async (ids) => {
        const totals = await store.analytics.workingTimeTotals(filter, kind, ids)
        return ids.map((id) => totals.get(id) ?? { ms: 0, actions: 0 })
      }),
    span: (kind, filter) =>
      family(['span', kind, filter], async (ids) => {
        const spans = await store.entities.spans(filter, kind, ids)
        return ids.map((id) => spans.get(id) ?? null)
      }),
    activity: (kind, filter, range, intervalMs) =>
      family(['activity', kind, filter, range, intervalMs], async (ids) => {
        const series = await store.analytics.activityByEntity(filter, range, intervalMs, kind, ids)
        const byId = new Map(series.map((s) => [s.id, s.buckets]))
        const empty = bucketStarts(range, intervalMs).map((startMs) => ({ startMs, count: 0, users: 0 }))
        return ids.map((id) => byId.get(id) ?? empty)
      }),
  }
}
