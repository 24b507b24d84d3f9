/**
 * The one filter every read takes (GraphQL queries and aggregations, exports, dashboards).
 * Ids are decimal strings (UInt64), times epoch milliseconds; an absent or empty list means
 * "no constraint" (what a dashboard's "All" sends), and both time bounds are inclusive.
 */
export interface EventFilter {
  readonly from?: number
  readonly to?: number
  readonly orgIds?: readonly string[]
  readonly projectIds?: readonly string[]
  readonly taskIds?: readonly string[]
  readonly jobIds?: readonly string[]
  readonly userIds?: readonly string[]
  readonly userNames?: readonly string[]
  readonly scopes?: readonly string[]
  readonly sources?: readonly string[]
  readonly objNames?: readonly string[]
  /** true: only events with a job; false: only events without one. */
  readonly hasJob?: boolean
}

declare const authorized: unique symbol

/**
 * A filter that has passed the access policy (`authorize` in src/auth/policy.ts, the only code
 * that creates one): it already carries the constraints the caller may not lift. Store reads take
 * only this type, so no read can skip the policy.
 */
export type AuthorizedFilter = EventFilter & { readonly [authorized]: true }

/** A WHERE clause over the events table with its typed parameters. */
export interface SqlCondition {
  readonly sql: string
  readonly params: Record<string, unknown>
}

const ID_COLUMNS = [
  ['orgIds', 'org_id'],
  ['projectIds', 'project_id'],
  ['taskIds', 'task_id'],
  ['jobIds', 'job_id'],
  ['userIds', 'user_id'],
] as const

const TEXT_COLUMNS = [
  ['userNames', 'user_name'],
  ['scopes', 'scope'],
  ['sources', 'source'],
  ['objNames', 'obj_name'],
] as const

/**
 * Builds the WHERE clause of a filter. Values only ever travel as typed parameters (named with
 * `prefix`, so a query may combine several filters); ids go as BigInt so UInt64 stays exact.
 */
export function eventConditions(filter: AuthorizedFilter, prefix = 'f'): SqlCondition {
  const parts: string[] = []
  const params: Record<string, unknown> = {}
  if (filter.from !== undefined) {
    parts.push(`timestamp >= fromUnixTimestamp64Milli({${prefix}_from:Int64}, 'UTC')`)
    params[`${prefix}_from`] = filter.from
  }
  if (filter.to !== undefined) {
    parts.push(`timestamp <= fromUnixTimestamp64Milli({${prefix}_to:Int64}, 'UTC')`)
    params[`${prefix}_to`] = filter.to
  }
  for (const [key, column] of ID_COLUMNS) {
    const values = filter[key]
    if (!values || values.length === 0) continue
    parts.push(`${column} IN {${prefix}_${key}:Array(UInt64)}`)
    params[`${prefix}_${key}`] = values.map((v) => BigInt(v))
  }
  for (const [key, column] of TEXT_COLUMNS) {
    const values = filter[key]
    if (!values || values.length === 0) continue
    parts.push(`${column} IN {${prefix}_${key}:Array(String)}`)
    params[`${prefix}_${key}`] = [...values]
  }
  if (filter.hasJob !== undefined) parts.push(filter.hasJob ? 'job_id IS NOT NULL' : 'job_id IS NULL')
  return { sql: parts.length > 0 ? parts.join(' AND ') : '1', params }
}

/**
 * Narrows an authorized filter to the given scopes (an aggregation over exceptions, working
 * time…). Narrowing never widens what the policy allowed, so the result stays authorized; scopes
 * the caller already chose are intersected, so the answer may be empty, never wider.
 */
export function withScopes(filter: AuthorizedFilter, scopes: readonly string[]): AuthorizedFilter {
  const chosen =
    filter.scopes && filter.scopes.length > 0 ? scopes.filter((s) => filter.scopes?.includes(s)) : scopes
  return { ...filter, scopes: chosen.length > 0 ? chosen : [NO_SCOPE] }
}

/** A scope no event has: an intersection that came out empty must match nothing, not everything. */
const NO_SCOPE = '\u0000none'

/** The filter's time range, which every aggregation has (see requireRange in the resolvers). */
export interface TimeRange {
  readonly from: number
  readonly to: number
}
