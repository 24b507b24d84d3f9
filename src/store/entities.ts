import type { Engine } from './engine.js'
import type { AuthorizedFilter } from '../domain/filter.js'
import { eventConditions } from './filter-sql.js'
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
  first_ms: string
  last_ms: string
  n: string
  name: string | null
}

/** First and last event and event count for many entities of one kind in one query. */
export async function entitySpans(
  engine: Engine,
  filter: AuthorizedFilter,
  kind: EntityKind,
  ids: readonly string[],
): Promise<Map<string, EntitySpan>> {
  const where = eventConditions(filter)
  const column = ENTITY_COLUMN[kind]
  const rows = await engine.rows<SpanRow>({
    name: `entities.span_by_${kind}`,
    sql: `SELECT ${column} AS id, toUnixTimestamp64Milli(min(timestamp)) AS first_ms,
            toUnixTimestamp64Milli(max(timestamp)) AS last_ms, count() AS n,
            ${kind === 'user' ? 'argMax(user_name, timestamp)' : 'NULL'} AS name
          FROM ${engine.database}.events
          WHERE ${where.sql} AND ${column} IN {ids:Array(UInt64)}
          GROUP BY ${column}`,
    params: { ...where.params, ids: ids.map((id) => BigInt(id)) },
  })
  return new Map(
    rows.map((r) => [
      r.id,
      { firstEventMs: Number(r.first_ms), lastEventMs: Number(r.last_ms), events: Number(r.n), name: r.name },
    ]),
  )
}

/** The entities of one kind that have events matching the filter, most recently active first. */
export async function listEntityIds(
  engine: Engine,
  filter: AuthorizedFilter,
  kind: EntityKind,
  limit: number,
): Promise<string[]> {
  const where = eventConditions(filter)
  const column = ENTITY_COLUMN[kind]
  const rows = await engine.rows<{ id: string }>({
    name: `entities.list_${kind}s`,
    sql: `SELECT ${column} AS id FROM ${engine.database}.events
          WHERE ${where.sql} AND ${column} IS NOT NULL
          GROUP BY ${column} ORDER BY max(timestamp) DESC, ${column} LIMIT {limit:UInt32}`,
    params: { ...where.params, limit },
  })
  return rows.map((r) => r.id)
}
