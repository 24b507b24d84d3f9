import type { Engine } from './engine.js'
import { bucketStarts } from '../domain/time-buckets.js'
import type { AuthorizedFilter, TimeRange } from '../domain/filter.js'
import { eventConditions } from './filter-sql.js'
import { fillBuckets, type TimeBucket } from './time-series.js'

/** How groups are ranked: latest occurrence first, or most occurrences first. */
export type ExceptionGroupOrder = 'lastSeen' | 'count'

/** A position in a ranking: the last group of the previous page and its ranking value. */
export interface ExceptionGroupCursor {
  readonly value: number
  readonly groupId: string
  /**
   * The ranking's snapshot: pages after the first count only the exceptions stored by then
   * (`ingested_at`), so no group changes rank while a client pages; null: a cursor of an earlier
   * version (no snapshot).
   */
  readonly asOfMs: number | null
}

export interface ExceptionGroupPageRequest {
  readonly first: number
  readonly orderBy: ExceptionGroupOrder
  readonly after?: ExceptionGroupCursor
}

/** One group of exceptions within a filter: how often, whom and what it hit, and its latest occurrence. */
export interface ExceptionGroup {
  readonly groupId: string
  readonly count: number
  readonly users: number
  readonly jobs: number
  readonly firstSeenMs: number
  readonly lastSeenMs: number
  readonly sources: string[]
  readonly lastEventId: string
  /** The latest occurrence's payload (its message and stack). */
  readonly lastPayload: string | null
}

export interface ExceptionGroupPage {
  readonly groups: ExceptionGroup[]
  readonly hasNextPage: boolean
  /** The snapshot the page ranks (its cursors carry it); null when the page is empty. */
  readonly asOfMs: number | null
}

/** One group's occurrences over time. */
export interface ExceptionGroupSeries {
  readonly groupId: string
  readonly count: number
  readonly buckets: TimeBucket[]
}

interface GroupRow {
  group_id: string
  n: string
  users: string
  jobs: string
  first_ms: string
  last_ms: string
  sources: string[]
  last_id: string
  last_payload: string | null
  as_of: string
}

const RANKING = { lastSeen: 'last_ms', count: 'n' } as const

/**
 * Exception groups of the filter's events (already narrowed to send:exception), ranked and
 * keyset-paginated: a page starts strictly after the cursor's (value, group id), so pages need no
 * OFFSET. A ranking moves as exceptions arrive (a count grows, a group's latest occurrence becomes
 * the newest), so the pages after the first rank the exceptions stored by the time of the first
 * (the cursor's snapshot): every group is listed once, in one consistent order, however many
 * arrive meanwhile. (Rows of an insert still being written when the first page ran may land
 * inside the snapshot; an insert is milliseconds.)
 */
export async function listExceptionGroups(
  engine: Engine,
  filter: AuthorizedFilter,
  page: ExceptionGroupPageRequest,
): Promise<ExceptionGroupPage> {
  const where = eventConditions(filter)
  const key = RANKING[page.orderBy]
  const snapshot = page.after?.asOfMs ?? null
  const rows = await engine.rows<GroupRow>({
    name: `exceptions.groups_by_${page.orderBy === 'count' ? 'count' : 'last_seen'}`,
    sql: `SELECT exception_group AS group_id, count() AS n, uniqExact(user_id) AS users, uniqExact(job_id) AS jobs,
            toUnixTimestamp64Milli(min(timestamp)) AS first_ms, toUnixTimestamp64Milli(max(timestamp)) AS last_ms,
            arraySort(groupUniqArray(source)) AS sources,
            toString(argMax(event_id, (timestamp, event_id))) AS last_id,
            argMax(payload, (timestamp, event_id)) AS last_payload,
            ${snapshot ? '{as_of:Int64}' : 'toUnixTimestamp64Milli(now64(3))'} AS as_of
          FROM ${engine.database}.events
          WHERE ${where.sql} AND exception_group != ''
            ${snapshot ? "AND ingested_at <= fromUnixTimestamp64Milli({as_of:Int64}, 'UTC')" : ''}
          GROUP BY exception_group
          ${page.after ? `HAVING (${key}, group_id) < ({after_value:Int64}, {after_id:String})` : ''}
          ORDER BY ${key} DESC, group_id DESC
          LIMIT {limit:UInt32}`,
    params: {
      ...where.params,
      ...(page.after ? { after_value: page.after.value, after_id: page.after.groupId } : {}),
      ...(snapshot === null ? {} : { as_of: snapshot }),
      limit: page.first + 1,
    },
  })
  return {
    groups: rows.slice(0, page.first).map((r) => ({
      groupId: r.group_id,
      count: Number(r.n),
      users: Number(r.users),
      jobs: Number(r.jobs),
      firstSeenMs: Number(r.first_ms),
      lastSeenMs: Number(r.last_ms),
      sources: r.sources,
      lastEventId: r.last_id,
      lastPayload: r.last_payload,
    })),
    hasNextPage: rows.length > page.first,
    asOfMs: snapshot ?? (rows[0] ? Number(rows[0].as_of) : null),
  }
}

/** The ranking value a cursor after this group carries. */
export function groupCursorValue(group: ExceptionGroup, orderBy: ExceptionGroupOrder): number {
  return orderBy === 'count' ? group.count : group.lastSeenMs
}

/**
 * The `limit` groups with most occurrences in the range, each as a gap-filled series (one
 * query), most frequent first.
 */
export async function exceptionGroupSeries(
  engine: Engine,
  filter: AuthorizedFilter,
  range: TimeRange,
  intervalMs: number,
  limit: number,
): Promise<ExceptionGroupSeries[]> {
  const where = eventConditions(filter)
  const rows = await engine.rows<{ bucket_ms: string; group_id: string; events: string; users: string }>({
    name: 'exceptions.group_series',
    sql: `SELECT intDiv(toUnixTimestamp64Milli(timestamp), {interval:UInt64}) * {interval:UInt64} AS bucket_ms,
            exception_group AS group_id, count() AS events, uniqExact(user_id) AS users
          FROM ${engine.database}.events
          WHERE ${where.sql} AND exception_group IN (
            SELECT exception_group FROM ${engine.database}.events
            WHERE ${where.sql} AND exception_group != ''
            GROUP BY exception_group ORDER BY count() DESC, exception_group LIMIT {limit:UInt32})
          GROUP BY bucket_ms, group_id`,
    params: { ...where.params, interval: intervalMs, limit },
  })
  const starts = bucketStarts(range, intervalMs)
  const byGroup = new Map<string, typeof rows>()
  for (const row of rows) {
    const groupRows = byGroup.get(row.group_id)
    if (groupRows) groupRows.push(row)
    else byGroup.set(row.group_id, [row])
  }
  return [...byGroup.entries()]
    .map(([groupId, groupRows]) => ({
      groupId,
      count: groupRows.reduce((sum, r) => sum + Number(r.events), 0),
      buckets: fillBuckets(starts, groupRows),
    }))
    .sort((a, b) => b.count - a.count || (a.groupId < b.groupId ? -1 : 1))
}
