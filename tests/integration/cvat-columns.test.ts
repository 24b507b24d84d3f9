import { rm } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config.js'
import { exceptionGroupOf } from '../../src/domain/exception-fingerprint.js'
import { newEventId } from '../../src/ingest/event-id.js'
import { emptyRecord } from '../../src/ingest/records.js'
import { createEngine, type Engine } from '../../src/store/engine.js'
import { CVAT_COLUMNS, serializeEvent } from '../../src/store/event-record.js'
import { insertEventBlock } from '../../src/store/events-write.js'
import { migrate } from '../../src/store/migrations.js'
import { exceptionGroupSql } from '../../src/store/schema/exception-groups.js'
import { TIME_ORDERED_ID } from '../../src/store/schema/rollup-generation.js'
import { tempDir } from '../support/app.js'
import { startClickHouseShim, type ClickHouseShim } from '../support/clickhouse-shim.js'
import { cvatEventsTableDdl, cvatVectorRow, selectStarColumns } from '../support/cvat-table.js'
import { ROLLUP_GENERATION } from '../../src/store/rollups/catalog.js'

/**
 * Our columns of the events table on a ClickHouse server (CLICKHOUSE_URL): invisible to
 * `SELECT *` whoever created the table, while every writer's insert keeps working, and a table
 * the previous version defined (our columns as DEFAULT, which `SELECT *` shows) converted in
 * place with every stored value kept.
 */
let dir: string
let shim: ClickHouseShim
let engine: Engine
beforeAll(async () => {
  dir = await tempDir('aa-cvat-columns-')
  shim = await startClickHouseShim(path.join(dir, 'server'))
  engine = createEngine(loadConfig({ DATA_DIR: dir, CLICKHOUSE_URL: shim.url }).store)
})
afterAll(async () => {
  await engine.close()
  await shim.close()
  await rm(dir, { recursive: true, force: true })
})

const ours = (fields: Partial<ReturnType<typeof emptyRecord>> = {}) => {
  const timestampMs = Date.parse('2024-05-22T10:00:01.500Z')
  return {
    ...emptyRecord(),
    eventId: newEventId(timestampMs),
    scope: 'send:exception',
    source: 'client',
    timestampMs,
    jobId: '9',
    payload: JSON.stringify({ message: 'Job 9 not found', stack: 'at load (job.js:10:5)' }),
    ...fields,
  }
}

interface Hidden {
  event_id: string
  ingested_at: string
  exception_group: string
  rollup_gen: number
}
const hidden = (table: string) =>
  engine.rows<Hidden & { scope: string }>({
    name: 'test.hidden',
    sql: `SELECT scope, event_id, ingested_at, exception_group, rollup_gen FROM ${table} ORDER BY timestamp, event_id`,
  })

describe("our columns on CVAT's table", () => {
  it("leaves CVAT's `SELECT *` as CVAT's on a table CVAT created, and takes both writers' inserts", async () => {
    await engine.command({ name: 'test.db', sql: 'CREATE DATABASE IF NOT EXISTS cvat' })
    await engine.command({ name: 'test.cvat_table', sql: cvatEventsTableDdl('cvat.events') })
    const vector = (fields: Record<string, unknown>) =>
      engine.command({
        name: 'test.vector',
        sql: `INSERT INTO cvat.events FORMAT JSONEachRow ${JSON.stringify(cvatVectorRow(fields))}`,
      })
    await vector({ scope: 'create:project', timestamp: '2024-05-22 09:00:00.000' })

    const migrated = createEngine(
      loadConfig({ DATA_DIR: dir, CLICKHOUSE_URL: shim.url, CLICKHOUSE_DATABASE: 'cvat' }).store,
    )
    try {
      await migrate(migrated, { retentionDays: 0 })
      expect(await selectStarColumns(engine, 'cvat.events')).toEqual(CVAT_COLUMNS)
      const [star] = await engine.rows<Record<string, unknown>>({
        name: 'test.cvat_export',
        sql: 'SELECT * EXCEPT(remote_addr) FROM cvat.events',
      })
      expect(Object.keys(star ?? {})).toHaveLength(18)

      // Vector's insert names no column; ours names event_id and exception_group.
      await vector({ scope: 'update:task', timestamp: '2024-05-22 10:00:00.000' })
      const event = ours()
      await insertEventBlock(migrated, { body: serializeEvent(event) })
      const rows = await hidden('cvat.events')
      expect(rows.map((r) => r.scope)).toEqual(['create:project', 'update:task', 'send:exception'])
      expect(rows[2]).toMatchObject({
        event_id: event.eventId,
        exception_group: exceptionGroupOf(event.scope, event.payload),
        rollup_gen: ROLLUP_GENERATION,
      })
      // Ids of rows other writers inserted are time-ordered and stable.
      expect(rows[1]?.event_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/)
      expect((await hidden('cvat.events'))[1]?.event_id).toBe(rows[1]?.event_id)
    } finally {
      await migrated.close()
    }
  })

  it("converts the previous version's columns in place, keeping every value they hold", async () => {
    await migrate(engine, { retentionDays: 0 })
    // As the previous version left them: DEFAULT columns, which `SELECT *` shows.
    for (const [column, definition] of [
      ['event_id', `UUID DEFAULT ${TIME_ORDERED_ID}`],
      ['ingested_at', "DateTime64(3, 'UTC') DEFAULT now64(3)"],
      ['exception_group', `String DEFAULT ${exceptionGroupSql('scope', 'payload')}`],
      ['rollup_gen', 'UInt8 DEFAULT 1'],
    ])
      await engine.command({
        name: 'test.previous_version',
        sql: `ALTER TABLE default.events MODIFY COLUMN ${column} ${definition}`,
      })
    expect(await selectStarColumns(engine, 'default.events')).toHaveLength(23)
    await insertEventBlock(engine, {
      body: [ours(), ours({ scope: 'click:element', payload: '{}' })].map(serializeEvent).join('\n'),
    })
    await engine.command({
      name: 'test.vector',
      sql: `INSERT INTO default.events FORMAT JSONEachRow ${JSON.stringify(cvatVectorRow())}`,
    })
    const before = await hidden('default.events')
    expect(before).toHaveLength(3)

    await migrate(engine, { retentionDays: 0 })
    expect(await selectStarColumns(engine, 'default.events')).toEqual(CVAT_COLUMNS)
    expect(await hidden('default.events')).toEqual(before)
    const kinds = await engine.rows<{ name: string; default_kind: string }>({
      name: 'test.kinds',
      sql: `SELECT name, default_kind FROM system.columns
            WHERE database = 'default' AND table = 'events' AND default_kind != ''
            ORDER BY name`,
    })
    expect(kinds).toEqual([
      { name: 'duration', default_kind: 'DEFAULT' },
      { name: 'event_id', default_kind: 'MATERIALIZED' },
      { name: 'exception_group', default_kind: 'MATERIALIZED' },
      { name: 'heartbeats', default_kind: 'MATERIALIZED' },
      { name: 'ingested_at', default_kind: 'MATERIALIZED' },
      { name: 'request_id', default_kind: 'ALIAS' },
      { name: 'rollup_gen', default_kind: 'MATERIALIZED' },
    ])
  })
})
