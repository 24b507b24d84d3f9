import { rm } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config.js'
import type { AuthorizedFilter } from '../../src/domain/filter.js'
import { createEngine, type Engine } from '../../src/store/engine.js'
import { createStore } from '../../src/store/index.js'
import { tempDir } from '../support/app.js'

/**
 * An upgrade from the previous generation of the rollups (the table `rollups` and its view,
 * events written with `rollup_gen` 1): the migration drops them, and `rollups_v2` is backfilled
 * from every event, so productivity's trail and the other grains count what was there before.
 */

let dir: string
let engine: Engine
const config = () => loadConfig({ DATA_DIR: dir }).store
const T = Date.UTC(2024, 2, 4, 10)

beforeAll(async () => {
  dir = await tempDir('aa-rollups-upgrade-')
  engine = createEngine(config())
  // The schema as the previous version left it: built by today's migration, then turned back.
  const first = createStore(config())
  await first.migrate()
  await first.rollups.whenReady()
  await first.close()
  for (const sql of [
    'DROP VIEW default.rollups_v2_mv',
    'DROP TABLE default.rollups_v2',
    "DELETE FROM default.rollup_backfill WHERE rollup = 'rollups_v2'",
    'CREATE TABLE default.rollups AS default.events_exceptions',
    'CREATE MATERIALIZED VIEW default.rollups_mv TO default.rollups AS SELECT * FROM default.events_exceptions WHERE 0',
    'ALTER TABLE default.events MODIFY COLUMN rollup_gen UInt8 DEFAULT 1',
  ])
    await engine.command({ name: 'test.downgrade', sql })
  const saves = [0, 1, 2].map(
    (i) =>
      `('create:shapes', 'rectangle', 'server', fromUnixTimestamp64Milli(${T + i * 60_000}), ${3 + i}, 5, 7, '{"request":{"id":"save-${i}"}}')`,
  )
  await engine.command({
    name: 'test.old_rows',
    sql: `INSERT INTO default.events (scope, obj_name, source, timestamp, count, user_id, org_id, payload) VALUES ${saves.join(', ')}`,
  })
}, 120_000)
afterAll(async () => {
  await engine.close()
  await rm(dir, { recursive: true, force: true })
})

describe('upgrading the rollups', () => {
  it('drops the previous generation and backfills rollups_v2 from every event', async () => {
    const store = createStore(config())
    await store.migrate()
    await store.rollups.whenReady()
    const tables = await engine.rows<{ name: string }>({
      name: 'test.tables',
      sql: "SELECT name FROM system.tables WHERE database = 'default' AND name LIKE 'rollups%' ORDER BY name",
    })
    expect(tables.map((t) => t.name)).toEqual(['rollups_v2', 'rollups_v2_mv'])
    const [gen] = await engine.rows<{ default_expression: string }>({
      name: 'test.gen',
      sql: "SELECT default_expression FROM system.columns WHERE database = 'default' AND table = 'events' AND name = 'rollup_gen'",
    })
    expect(gen?.default_expression).toBe('2')
    const [trail] = await engine.rows<{ n: string }>({
      name: 'test.trail',
      sql: 'SELECT sum(cnt) AS n FROM default.rollups_v2 WHERE grain = 5',
    })
    expect(Number(trail?.n)).toBe(3 + 4 + 5)
    const filter = { from: T - 3_600_000, to: T + 3_600_000 } as AuthorizedFilter
    const answer = await store.productivity.rows({
      filter,
      from: filter.from as number,
      to: filter.to as number,
      groups: ['user'],
      idleMs: null,
      maxGroups: 10,
    })
    expect(answer.rows.map((r) => [r.userId, r.manualObjectsCreated])).toEqual([['5', 12]])
    await store.close()
  })
})
