import type { Engine } from './engine.js'
import type { AuthorizedFilter } from '../domain/filter.js'
import type { Cube } from './rollups/cube.js'

export interface ScopeDuration {
  readonly scope: string
  readonly source: string
  readonly count: number
  readonly avgMs: number
  readonly minMs: number
  readonly maxMs: number
}

/** Events per (scope, source) with their duration statistics (the Monitoring dashboard's table). */
export async function scopeDurations(
  engine: Engine,
  cube: Cube,
  filter: AuthorizedFilter,
): Promise<ScopeDuration[]> {
  const from = cube.source({ filter, columns: ['scope', 'source', 'n', 'dur_sum', 'dur_min', 'dur_max'] })
  const rows = await engine.rows<{
    scope: string
    source: string
    events: string
    avg_ms: number
    min_ms: number
    max_ms: number
  }>({
    name: 'analytics.scope_durations',
    sql: `SELECT scope, source, sum(n) AS events, sum(dur_sum) / sum(n) AS avg_ms, min(dur_min) AS min_ms, max(dur_max) AS max_ms
          FROM ${from.sql}
          GROUP BY scope, source ORDER BY events DESC, scope, source`,
    params: from.params,
  })
  return rows.map((r) => ({
    scope: r.scope,
    source: r.source,
    count: Number(r.events),
    avgMs: r.avg_ms,
    minMs: r.min_ms,
    maxMs: r.max_ms,
  }))
}
