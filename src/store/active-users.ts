import type { Engine } from './engine.js'
import type { AuthorizedFilter } from '../domain/filter.js'
import type { Cube } from './rollups/cube.js'

export interface ActiveUser {
  readonly userId: string
  readonly userName: string | null
  readonly lastSeenMs: number
  readonly events: number
}

/** Users with events in the filter's range (the caller sets it to the last N minutes), latest first. */
export async function activeUsers(
  engine: Engine,
  cube: Cube,
  filter: AuthorizedFilter,
  limit: number,
): Promise<{ count: number; users: ActiveUser[] }> {
  const from = cube.source({
    filter,
    columns: ['user_id', 'user_name', 'last_ms', 'n'],
    where: [{ dims: ['user_id'], sql: 'user_id IS NOT NULL' }],
  })
  const rows = await engine.rows<{
    user_id: string
    latest_user_name: string | null
    last_at: string
    events: string
    total: string
  }>({
    name: 'analytics.active_users',
    sql: `SELECT user_id, argMax(user_name, last_ms) AS latest_user_name,
            max(last_ms) AS last_at, sum(n) AS events, count() OVER () AS total
          FROM ${from.sql}
          GROUP BY user_id ORDER BY last_at DESC, user_id LIMIT {limit:UInt32}`,
    params: { ...from.params, limit },
  })
  return {
    count: rows.length === 0 ? 0 : Number(rows[0]?.total),
    users: rows.map((r) => ({
      userId: r.user_id,
      userName: r.latest_user_name,
      lastSeenMs: Number(r.last_at),
      events: Number(r.events),
    })),
  }
}
