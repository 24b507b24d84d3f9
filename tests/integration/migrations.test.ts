import { rm } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config.js'
import { createEngine, type Engine } from '../../src/store/engine.js'
import { migrate, SCHEMA_VERSION } from '../../src/store/migrations.js'
import { tempDir } from '../support/app.js'
import { CVAT_COLUMNS } from '../../src/store/event-record.js'
import { cvatEventsTableDdl, cvatVectorRow, selectStarColumns } from '../support/cvat-table.js'
import { ROLLUP_GENERATION } from '../../src/store/rollups/catalog.js'

let dir: string
let engine: Engine
beforeAll(async () => {
  dir = await tempDir('aa-migrate-')
  engine = createEngine({ ...loadConfig({ DATA_DIR: dir, CLICKHOUSE_DATABASE: 'cvat' }).store })
})
afterAll(async () => {
  await engine.close()
  await rm(dir, { recursive: true, force: true })
})

const columns = async () =>
  (
    await engine.rows<{ name: string }>({
      name: 'test.columns',
      sql: "SELECT name FROM system.columns WHERE database = 'cvat' AND table = 'events' ORDER BY position",
    })
  ).map((c) => c.name)

describe('migrations', () => {
  it('upgrades the table CVAT created, keeping its rows and giving them stable ids', async () => {
    // CVAT's own DDL (components/analytics/clickhouse/init.sh), with one row written by CVAT.
    await engine.command({ name: 'test.db', sql: 'CREATE DATABASE IF NOT EXISTS cvat' })
    await engine.command({
      name: 'test.cvat_table',
      sql: cvatEventsTableDdl('cvat.events'),
    })
    await engine.command({
      name: 'test.cvat_row',
      sql: `INSERT INTO cvat.events (scope, source, timestamp, job_id, payload) VALUES ('save:job', 'client', '2024-01-01 10:00:00', 3, '{"request":{"id":"old"}}')`,
    })

    await migrate(engine, { retentionDays: 0 })
    await migrate(engine, { retentionDays: 0 })

    const names = await columns()
    expect(names.slice(0, 19)).toEqual([
      'scope',
      'obj_name',
      'obj_id',
      'obj_val',
      'source',
      'timestamp',
      'count',
      'duration',
      'project_id',
      'task_id',
      'job_id',
      'user_id',
      'user_name',
      'user_email',
      'org_id',
      'org_slug',
      'payload',
      'access_token_id',
      'remote_addr',
    ])
    expect(names).toEqual(expect.arrayContaining(['event_id', 'ingested_at', 'request_id']))
    // What we added is invisible to `SELECT *`: CVAT's columns, in CVAT's order, and nothing else.
    expect(await selectStarColumns(engine, 'cvat.events')).toEqual(CVAT_COLUMNS)
    const read = () =>
      engine.rows<{ event_id: string; request_id: string }>({
        name: 'test.read',
        sql: 'SELECT event_id, request_id FROM cvat.events',
      })
    const [first] = await read()
    const [second] = await read()
    expect(first?.event_id).toBe(second?.event_id)
    expect(first?.request_id).toBe('old')
  })

  it("widens CVAT's UInt16 count in place, so an import of 70,000 shapes keeps its count", async () => {
    const [column] = await engine.rows<{ type: string }>({
      name: 'test.count_type',
      sql: "SELECT type FROM system.columns WHERE database = 'cvat' AND table = 'events' AND name = 'count'",
    })
    expect(column?.type).toBe('Nullable(UInt32)')
    await engine.command({
      name: 'test.count_row',
      sql: `INSERT INTO cvat.events (scope, source, timestamp, count) VALUES ('create:shapes', 'server', '2024-01-01 11:00:00', 70000)`,
    })
    const rows = await engine.rows<{ scope: string; count: number | null }>({
      name: 'test.counts',
      sql: 'SELECT scope, count FROM cvat.events ORDER BY timestamp',
    })
    expect(rows).toEqual([
      { scope: 'save:job', count: null },
      { scope: 'create:shapes', count: 70_000 },
    ])
    await engine.command({
      name: 'test.count_cleanup',
      sql: "DELETE FROM cvat.events WHERE scope = 'create:shapes'",
    })
  })

  it("keeps CVAT's `SELECT *` and its Vector insert of 19 fields working on the upgraded table", async () => {
    await engine.command({
      name: 'test.vector_insert',
      sql: `INSERT INTO cvat.events FORMAT JSONEachRow ${JSON.stringify(cvatVectorRow({ job_id: 77 }))}`,
    })
    const [row] = await engine.rows<Record<string, unknown>>({
      name: 'test.vector_row',
      sql: 'SELECT * EXCEPT(remote_addr), event_id, exception_group, rollup_gen FROM cvat.events WHERE job_id = 77',
    })
    expect(Object.keys(row ?? {})).toEqual([
      ...CVAT_COLUMNS.filter((c) => c !== 'remote_addr'),
      'event_id',
      'exception_group',
      'rollup_gen',
    ])
    expect(row).toMatchObject({ scope: 'create:task', job_id: '77', rollup_gen: ROLLUP_GENERATION })
    expect(row?.event_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/)
    await engine.command({ name: 'test.vector_cleanup', sql: 'DELETE FROM cvat.events WHERE job_id = 77' })
  })

  it('creates the quarantine with its retention', async () => {
    const [table] = await engine.rows<{ engine_full: string }>({
      name: 'test.quarantine',
      sql: "SELECT engine_full FROM system.tables WHERE database = 'cvat' AND name = 'events_quarantine'",
    })
    expect(table?.engine_full).toContain('toIntervalDay(30)')
  })

  it('applies, changes and removes retention without rewriting data', async () => {
    const engineFull = async () =>
      (
        await engine.rows<{ engine_full: string }>({
          name: 'test.ttl',
          sql: "SELECT engine_full FROM system.tables WHERE database = 'cvat' AND name = 'events'",
        })
      )[0]?.engine_full
    await migrate(engine, { retentionDays: 30 })
    expect(await engineFull()).toContain('toIntervalDay(30)')
    await migrate(engine, { retentionDays: 400 })
    expect(await engineFull()).toContain('toIntervalDay(400)')
    await migrate(engine, { retentionDays: 0 })
    expect(await engineFull()).not.toContain('TTL')
    const [row] = await engine.rows<{ n: string }>({
      name: 'test.count',
      sql: 'SELECT count() AS n FROM cvat.events',
    })
    expect(Number(row?.n)).toBe(1)
  })

  it('records the schema version once', async () => {
    const rows = await engine.rows<{ version: number }>({
      name: 'test.versions',
      sql: 'SELECT version FROM cvat.schema_migrations',
    })
    expect(rows).toEqual([{ version: SCHEMA_VERSION }])
  })
})
