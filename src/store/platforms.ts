import type { Engine } from './engine.js'
import { withScopes, type AuthorizedFilter } from '../domain/filter.js'
import type { Cube } from './rollups/cube.js'

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
  cube: Cube,
  filter: AuthorizedFilter,
): Promise<{ browsers: PlatformCount[]; systems: PlatformCount[] }> {
  const from = cube.source({
    filter: withScopes(filter, ['load:cvat']),
    columns: ['user_id', 'browser', 'os'],
  })
  const rows = await engine.rows<{ kind: string; name: string; users: string }>({
    name: 'analytics.platforms',
    sql: `SELECT kind, name, uniqExact(user_id) AS users
          FROM ${from.sql}
          ARRAY JOIN ['browser', 'os'] AS kind, [browser, os] AS name
          WHERE name != ''
          GROUP BY kind, name ORDER BY users DESC, name`,
    params: from.params,
  })
  const of = (kind: string) =>
    rows.filter((r) => r.kind === kind).map((r) => ({ name: r.name, users: Number(r.users) }))
  return { browsers: of('browser'), systems: of('os') }
}
