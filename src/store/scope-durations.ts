import type { Engine } from './engine.js'
import type { AuthorizedFilter } from '../domain/filter.js'
import { eventConditions } from './filter-sql.js'

export interface ScopeDuration {
  readonly scope: string
  readonly source: string
  readonly count: number
  readonly avgMs: number
  readonly minMs: number
  readonly maxMs: number
}

/** Events per (scope, source) with their duration statistics (the Monitoring dashboard's table). */
export async function scopeDurations(engine: Engine, filter: AuthorizedFilter): Promise<ScopeDuration[]> {
  const where = eventConditions(filter)
  const rows = await engine.rows<{
    scope: string
    source: string
    n: string
    avg_ms: number
    min_ms: number
    max_ms: number
  }>({
    name: 'analytics.scope_durations',
    sql: `SELECT scope, source, count() AS n, avg(duration) AS avg_ms, min(duration) AS min_ms, max(duration) AS max_ms
          FROM ${engine.database}.events WHERE ${where.sql}
          GROUP BY scope, source ORDER BY n DESC, scope, source`,
    params: where.params,
  })
  return rows.map((r) => ({
    scope: r.scope,
    source: r.source,
    count: Number(r.n),
    avgMs: r.avg_ms,
    minMs: r.min_ms,
    maxMs: r.max_ms,
  }))
}
