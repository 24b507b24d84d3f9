import type { Engine } from './engine.js'
import type { AuthorizedFilter } from '../domain/filter.js'
import { eventConditions } from './filter-sql.js'

export interface ActiveUser {
  readonly userId: string
  readonly userName: string | null
  readonly lastSeenMs: number
  readonly events: number
}

/** Users with events in the filter's range (the caller sets it to the last N minutes), latest first. */
export async function activeUsers(
  engine: Engine,
  filter: AuthorizedFilter,
  limit: number,
): Promise<{ count: number; users: ActiveUser[] }> {
  const where = eventConditions(filter)
  const rows = await engine.rows<{
    user_id: string
    latest_user_name: string | null
    last_ms: string
    n: string
    total: string
  }>({
    name: 'analytics.active_users',
    sql: `SELECT user_id, argMax(user_name, timestamp) AS latest_user_name,
            toUnixTimestamp64Milli(max(timestamp)) AS last_ms, count() AS n, count() OVER () AS total
          FROM ${engine.database}.events
          WHERE ${where.sql} AND user_id IS NOT NULL
          GROUP BY user_id ORDER BY last_ms DESC LIMIT {limit:UInt32}`,
    params: { ...where.params, limit },
  })
  return {
    count: rows.length === 0 ? 0 : Number(rows[0]?.total),
    users: rows.map((r) => ({
      userId: r.user_id,
      userName: r.latest_user_name,
      lastSeenMs: Number(r.last_ms),
      events: Number(r.n),
    })),
  }
}
