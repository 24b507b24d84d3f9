import type { Engine } from '../engine.js'
import {
  DERIVED_TABLES,
  EXCEPTIONS_COPY,
  JOB_TRAIL,
  RETIRED_TABLES,
  ROLLUP_GENERATION,
  ROLLUP_TABLE,
  ROLLUPS,
} from '../rollups/catalog.js'
import { EMPTY_HEARTBEATS } from './heartbeats.js'
import type { SchemaLayout } from './layout.js'

/**
 * What cannot be a fixed statement of the schema, because its order with the data matters. Runs
 * after the steps, at every start; each part does its work once.
 *
 * 1. Parts written before a column existed hold no value for it: the engine computes the default
 *    whenever they are read. For `ingested_at` (now64) and `rollup_gen` that value would change,
 *    and `event_id`'s would change with its default; so such parts get the column written first
 *    (a table CVAT created, or one from before these columns; a mutation of those parts only).
 * 2. `event_id`'s expression becomes time-ordered: rows inserted without an id (CVAT's own
 *    pipeline) get a UUIDv7 of their timestamp and a hash of their content, as deterministic as
 *    before and as compressible as the ids ingest mints.
 * 3. `rollup_gen`'s expression becomes the current generation, after the views exist: from then on
 *    every insert (whoever makes it) carries it and the views count it, while every row from
 *    before carries a smaller one and the backfill counts it. The split is exact, whatever is
 *    being inserted meanwhile.
 *    These three end MATERIALIZED (earlier versions made them DEFAULT columns, which `SELECT *`
 *    shows): the change of kind is metadata only, and the values parts hold stay as they are.
 * 4. The rollups keep the events' retention (RETENTION_DAYS): a cell goes once all of its events
 *    have gone; the feed's markers (catalog.ts: markerRow) never go.
 * 5. The tables of earlier generations go, with their views, once the current generation counts
 *    every row (its default is set above; the backfill counts the rows from before).
 */
export async function finishRollupSchema(
  engine: Engine,
  layout: SchemaLayout,
  options: { retentionDays: number },
): Promise<void> {
  const events = layout.storage('events')
  const missing = await engine.rows<{ column: string }>({
    name: 'migrate.columns_missing',
    sql: `SELECT DISTINCT c.name AS column
          FROM system.columns AS c
          CROSS JOIN (SELECT DISTINCT name AS part FROM system.parts
                      WHERE database = {db:String} AND table = {table:String} AND active) AS p
          LEFT ANTI JOIN (SELECT name AS part, column FROM system.parts_columns
                          WHERE database = {db:String} AND table = {table:String} AND active) AS pc
            ON pc.part = p.part AND pc.column = c.name
          WHERE c.database = {db:String} AND c.table = {table:String}
            AND c.name IN ('event_id', 'ingested_at', 'rollup_gen')`,
    params: { db: layout.db, table: events },
  })
  for (const { column } of missing) {
    await engine.command({
      name: `migrate.materialize_${column}`,
      sql: layout.alter('events', `MATERIALIZE COLUMN ${column} SETTINGS mutations_sync = 2`),
      timeoutMs: 3_600_000,
    })
  }
  const current = new Map(
    (
      await engine.rows<{ name: string; default_kind: string; default_expression: string }>({
        name: 'migrate.read_defaults',
        sql: `SELECT name, default_kind, default_expression FROM system.columns
              WHERE database = {db:String} AND table = {table:String}
                AND name IN ('event_id', 'ingested_at', 'rollup_gen', 'heartbeats')`,
        params: { db: layout.db, table: events },
      })
    ).map((c) => [c.name, c]),
  )
  // Each column's definition once the data allows it, MATERIALIZED so that `SELECT *` leaves it out
  // (schema/events-table.ts); a column already so defined is left alone (no ALTER at every start).
  const target: [column: string, expression: string, type: string, settled: (e: string) => boolean][] = [
    ['event_id', TIME_ORDERED_ID, 'UUID', (e) => e.startsWith('reinterpretAsUUID(concat(')],
    ['ingested_at', 'now64(3)', "DateTime64(3, 'UTC')", (e) => e === 'now64(3)'],
    ['rollup_gen', String(ROLLUP_GENERATION), 'UInt8', (e) => e === String(ROLLUP_GENERATION)],
    // A DEFAULT column in the version that added it; its values stay.
    ['heartbeats', EMPTY_HEARTBEATS, 'Array(Int32)', (e) => e.includes('[]')],
  ]
  for (const [column, expression, type, settled] of target) {
    const now = current.get(column)
    if (now?.default_kind === 'MATERIALIZED' && settled(now.default_expression)) continue
    for (const sql of layout.alterColumn(
      'events',
      `MODIFY COLUMN ${column} ${type} MATERIALIZED ${expression} ${CODECS[column]}`,
    ))
      await engine.command({ name: `migrate.${column}_definition`, sql })
  }
  // A cell ends a grain after its start: its rows go once its last events have gone.
  const cellEnd = `toDateTime(t) + toIntervalSecond(multiIf(${ROLLUPS.map((r) => `grain = ${r.grain}, ${r.grainMs / 1000}`).join(', ')}, 0))`
  const keeps = (name: string) => DERIVED_TABLES.find((d) => d.name === name)?.markerWhere ?? '0'
  await applyRollupRetention(
    engine,
    layout,
    ROLLUP_TABLE,
    cellEnd,
    keeps(ROLLUP_TABLE),
    options.retentionDays,
  )
  for (const copy of [EXCEPTIONS_COPY.name, JOB_TRAIL.name])
    await applyRollupRetention(
      engine,
      layout,
      copy,
      'toDateTime(timestamp)',
      keeps(copy),
      options.retentionDays,
    )
  const retired = await engine.rows<{ name: string }>({
    name: 'migrate.retired_tables',
    sql: `SELECT name FROM system.tables WHERE database = {db:String} AND name IN {names:Array(String)}`,
    params: { db: layout.db, names: RETIRED_TABLES.flatMap((t) => [t, `${t}_mv`]) },
  })
  const present = new Set(retired.map((r) => r.name))
  for (const table of RETIRED_TABLES) {
    if (present.has(`${table}_mv`))
      for (const sql of layout.statements(`DROP VIEW IF EXISTS ${layout.db}.${table}_mv`))
        await engine.command({ name: 'migrate.retire_view', sql })
    if (present.has(table))
      for (const sql of layout.statements(`DROP TABLE IF EXISTS ${layout.db}.${table}`))
        await engine.command({ name: 'migrate.retire_table', sql })
  }
}

/** The codecs of the columns finishRollupSchema defines (a MODIFY COLUMN restates them). */
const CODECS: Readonly<Record<string, string>> = {
  event_id: 'CODEC(ZSTD(3))',
  ingested_at: 'CODEC(Delta, ZSTD(1))',
  rollup_gen: 'CODEC(ZSTD(1))',
  heartbeats: 'CODEC(ZSTD(1))',
}

/**
 * A UUIDv7 (RFC 9562) of the row's timestamp, the rest from a hash of its content: the ids ingest
 * mints (src/ingest/event-id.ts) have the same time prefix. Used as `event_id`'s default.
 */
export const TIME_ORDERED_ID = `reinterpretAsUUID(concat(
    reinterpretAsFixedString(bitOr(bitShiftLeft(toUInt64(toUnixTimestamp64Milli(timestamp)), 16),
      bitOr(0x7000, bitAnd(reinterpretAsUInt64(substring(sipHash128(tuple(scope, source, timestamp, obj_name, obj_id,
        obj_val, user_id, job_id, task_id, project_id, org_id, payload)), 1, 8)), 0x0fff)))),
    reinterpretAsFixedString(bitOr(0x8000000000000000, bitAnd(reinterpretAsUInt64(substring(sipHash128(tuple(scope,
      source, timestamp, obj_name, obj_id, obj_val, user_id, job_id, task_id, project_id, org_id, payload)), 9, 8)),
      0x3fffffffffffffff)))))`.replace(/\s+/g, ' ')

async function applyRollupRetention(
  engine: Engine,
  layout: SchemaLayout,
  table: string,
  /** When a row's events end: the TTL is this plus the retention. */
  end: string,
  /** Rows no TTL removes (the feed's marker). */
  kept: string,
  retentionDays: number,
): Promise<void> {
  const [row] = await engine.rows<{ engine_full: string }>({
    name: 'migrate.read_rollup_ttl',
    sql: `SELECT engine_full FROM system.tables WHERE database = {db:String} AND name = {table:String}`,
    params: { db: layout.db, table: layout.storage(table) },
  })
  const current = /TTL .*?toIntervalDay\((\d+)\)/i.exec(row?.engine_full ?? '')?.[1]
  if ((current === undefined ? 0 : Number(current)) === retentionDays) return
  if (retentionDays === 0) {
    await engine.command({ name: 'migrate.remove_rollup_ttl', sql: layout.alter(table, 'REMOVE TTL') })
    return
  }
  // Integers from the catalog and the validated config; TTL expressions take no parameters.
  await engine.command({
    name: 'migrate.modify_rollup_ttl',
    sql: layout.alter(
      table,
      `MODIFY TTL ${end} + toIntervalDay(${Math.trunc(retentionDays)}) DELETE WHERE NOT (${kept})
       SETTINGS materialize_ttl_after_modify = 0`,
    ),
  })
}
