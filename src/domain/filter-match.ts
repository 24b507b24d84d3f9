import type { EventRecord } from './event.js'
import type { EventFilter } from './filter.js'

/** What a filter looks at in an event; `exceptionGroup` is read only when the filter names groups. */
export type FilterableEvent = Pick<
  EventRecord,
  | 'timestampMs'
  | 'orgId'
  | 'projectId'
  | 'taskId'
  | 'jobId'
  | 'userId'
  | 'userName'
  | 'scope'
  | 'source'
  | 'objName'
> & {
  readonly exceptionGroup: string
  /** payload.request.id, '' without one (the table's `request_id`). */
  readonly requestId: string
}

type ListKey =
  | 'orgIds'
  | 'projectIds'
  | 'taskIds'
  | 'jobIds'
  | 'userIds'
  | 'userNames'
  | 'scopes'
  | 'sources'
  | 'objNames'
  | 'requestIds'
type ListField =
  | 'orgId'
  | 'projectId'
  | 'taskId'
  | 'jobId'
  | 'userId'
  | 'userName'
  | 'scope'
  | 'source'
  | 'objName'
  | 'requestId'

const LISTS: readonly (readonly [ListKey, ListField])[] = [
  ['orgIds', 'orgId'],
  ['projectIds', 'projectId'],
  ['taskIds', 'taskId'],
  ['jobIds', 'jobId'],
  ['userIds', 'userId'],
  ['userNames', 'userName'],
  ['scopes', 'scope'],
  ['sources', 'source'],
  ['objNames', 'objName'],
  ['requestIds', 'requestId'],
]

/**
 * Whether one event matches a filter, exactly as the filter's SQL (src/store/filter-sql.ts)
 * selects rows: inclusive times; a list matches when it is empty or holds the event's value, and
 * never matches a missing value (SQL's `NULL IN (…)`); ids compare as canonical decimal strings,
 * which parseId guarantees on both sides. Live subscriptions use it on every pushed event with
 * the filter the policy authorized, so a subscriber receives what Query.events would return.
 */
export function matchesFilter(filter: EventFilter, event: FilterableEvent): boolean {
  if (filter.from !== undefined && event.timestampMs < filter.from) return false
  if (filter.to !== undefined && event.timestampMs > filter.to) return false
  for (const [key, field] of LISTS) {
    const values = filter[key]
    if (values && values.length > 0 && !holds(values, event[field])) return false
  }
  if (filter.hasJob !== undefined && (event.jobId !== null) !== filter.hasJob) return false
  const groups = filter.exceptionGroups
  if (groups && groups.length > 0 && !groups.includes(event.exceptionGroup)) return false
  return true
}

const holds = (values: readonly string[], value: string | null) => value !== null && values.includes(value)
