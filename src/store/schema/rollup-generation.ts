import type { Engine } from '../engine.js'
import {
  DERIVED_TABLES,
  EXCEPTIONS_COPY,
  RETIRED_TABLES,
  ROLLUP_GENERATION,
  ROLLUP_TABLE,
  ROLLUPS,
} from '../rollups/catalog.js'
import type { SchemaLayout } from './layout.js'

/**
 * What cannot be a fixed statement of the schema, because its order with the data matters. Runs
 * after the steps, at every start; each part does its work once.
 *
 * 1. Parts written before a column existed hold no value for it: the engine computes the default
 *    whenever they are read. For `ingested_at` (now64) and `rollup_gen` that value would change,
 *    and `event_id`'s would change with its default; so such parts get the column written first
 *    (a table CVAT created, or one from before these columns; a mutation of those parts only).
 * 2. `event_id`'s default becomes time-ordered: rows inserted without an id (CVAT's own
 *    pipeline) get a UUIDv7 of their timestamp and a hash of their content, as deterministic as
 *    before and as compressible as the ids ingest mints.
 * 3. `rollup_gen`'s default becomes the current generation, after the views exist: from then on
 *    every insert (whoever makes it) carries it and the views count it, while every row from
 *    before carries a smaller one and the backfill counts it. The split is exact, whatever is
 *    being inserted meanwhile.
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
  const defaults = new Map(
    (
      await engine.rows<{ name: string; default_expression: string; compression_codec: string }>({
        name: 'migrate.read_defaults',
        sql: `SELECT name, default_expression, compression_codec FROM system.columns
              WHERE database = {db:String} AND table = {table:String} AND name IN ('event_id', 'rollup_gen')`,
        params: { db: layout.db, table: events },
      })
    ).map((c) => [c.name, c]),
  )
  if (!defaults.get('event_id')?.default_expression.startsWith('reinterpretAsUUID(concat(')) {
    for (const sql of layout.alterColumn(
      'events',
      `MODIFY COLUMN event_id UUID DEFAULT ${TIME_ORDERED_ID} CODEC(ZSTD(3))`,
    ))
      await engine.command({ name: 'migrate.event_id_default', sql })
  }
  if (defaults.get('rollup_gen')?.default_expression !== String(ROLLUP_GENERATION)) {
    for (const sql of layout.alterColumn(
      'events',
      `MODIFY COLUMN rollup_gen UInt8 DEFAULT ${ROLLUP_GENERATION} CODEC(ZSTD(1))`,
    ))
      await engine.command({ name: 'migrate.rollup_generation', sql })
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
  await applyRollupRetention(
    engine,
    layout,
    EXCEPTIONS_COPY.name,
    'toDateTime(timestamp)',
    keeps(EXCEPTIONS_COPY.name),
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
