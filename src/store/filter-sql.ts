import type { AuthorizedFilter } from '../domain/filter.js'

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
  ['exceptionGroups', 'exception_group'],
  ['requestIds', 'request_id'],
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
