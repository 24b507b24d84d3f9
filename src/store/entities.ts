import type { Engine } from './engine.js'
import type { AuthorizedFilter } from '../domain/filter.js'
import type { Cube } from './rollups/cube.js'
import { ENTITY_COLUMN, type EntityKind } from './working-time-read.js'

/** What the events tell about one job, task, project or user. */
export interface EntitySpan {
  readonly firstEventMs: number
  readonly lastEventMs: number
  readonly events: number
  /** The latest name the events carry (users only). */
  readonly name: string | null
}

interface SpanRow {
  id: string
  first_at: string
  last_at: string
  events: string
  name: string | null
}

/** First and last event and event count for many entities of one kind in one query. */
export async function entitySpans(
  engine: Engine,
  cube: Cube,
  filter: AuthorizedFilter,
  kind: EntityKind,
  ids: readonly string[],
): Promise<Map<string, EntitySpan>> {
  const column = ENTITY_COLUMN[kind]
  const from = cube.source({
    filter,
    columns: [column, 'first_ms', 'last_ms', 'n', ...(kind === 'user' ? (['user_name'] as const) : [])],
    where: [{ dims: [column], sql: `${column} IN {ids:Array(UInt64)}` }],
  })
  const rows = await engine.rows<SpanRow>({
    name: `entities.span_by_${kind}`,
    sql: `SELECT ${column} AS id, min(first_ms) AS first_at, max(last_ms) AS last_at, sum(n) AS events,
            ${kind === 'user' ? 'argMax(user_name, last_ms)' : 'NULL'} AS name
          FROM ${from.sql}
          GROUP BY ${column}`,
    params: { ...from.params, ids: ids.map((id) => BigInt(id)) },
  })
  return new Map(
    rows.map((r) => [
      r.id,
      {
        firstEventMs: Number(r.first_at),
        lastEventMs: Number(r.last_at),
        events: Number(r.events),
        name: r.name,
      },
    ]),
  )
}

/** The entities of one kind that have events matching the filter, most recently active first. */
export async function listEntityIds(
  engine: Engine,
  cube: Cube,
  filter: AuthorizedFilter,
  kind: EntityKind,
  limit: number,
): Promise<string[]> {
  const column = ENTITY_COLUMN[kind]
  const from = cube.source({
    filter,
    columns: [column, 'last_ms'],
    where: [{ dims: [column], sql: `${column} IS NOT NULL` }],
  })
  const rows = await engine.rows<{ id: string }>({
    name: `entities.list_${kind}s`,
    sql: `SELECT ${column} AS id FROM ${from.sql}
          GROUP BY ${column} ORDER BY max(last_ms) DESC, ${column} LIMIT {limit:UInt32}`,
    params: { ...from.params, limit },
  })
  return rows.map((r) => r.id)
}
