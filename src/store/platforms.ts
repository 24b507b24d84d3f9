import type { Engine } from './engine.js'
import { withScopes, type AuthorizedFilter } from '../domain/filter.js'
import { eventConditions } from './filter-sql.js'

export interface PlatformCount {
  readonly name: string
  readonly users: number
}

/**
 * Distinct users per browser and per operating system, read from the `platform` that CVAT's
 * `load:cvat` events carry (the All Events dashboard's two bar charts), in one pass.
 */
export async function platforms(
  engine: Engine,
  filter: AuthorizedFilter,
): Promise<{ browsers: PlatformCount[]; systems: PlatformCount[] }> {
  const where = eventConditions(withScopes(filter, ['load:cvat']))
  const rows = await engine.rows<{ kind: string; name: string; users: string }>({
    name: 'analytics.platforms',
    sql: `SELECT kind, name, uniqExact(user_id) AS users
          FROM (
            SELECT user_id, JSONExtractString(ifNull(payload, ''), 'platform', 'name') AS browser,
                   JSONExtractString(ifNull(payload, ''), 'platform', 'os') AS os
            FROM ${engine.database}.events WHERE ${where.sql}
          )
          ARRAY JOIN ['browser', 'os'] AS kind, [browser, os] AS name
          WHERE name != ''
          GROUP BY kind, name ORDER BY users DESC, name`,
    params: where.params,
  })
  const of = (kind: string) =>
    rows.filter((r) => r.kind === kind).map((r) => ({ name: r.name, users: Number(r.users) }))
  return { browsers: of('browser'), systems: of('os') }
}
