import { rm } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config.js'
import type { AuthorizedFilter } from '../../src/domain/filter.js'
import { createEngine, type Engine } from '../../src/store/engine.js'
import { createStore, type Store } from '../../src/store/index.js'
import { JOB_TRAIL, ROLLUP_GENERATION, ROLLUP_TABLE } from '../../src/store/rollups/catalog.js'
import { tempDir } from '../support/app.js'

/**
 * An upgrade from the previous generation of the rollups (`rollups_v3`, no undo/redo in the trail
 * and no users by hour; events written with `rollup_gen` 4): the migration drops it, the current
 * table (ROLLUP_TABLE) is backfilled from
 * every event, and the feed counts what comes after, whichever way the previous version fed its
 * tables (passes, or views on a cluster or an older server: the exceptions' copy, which stays,
 * keeps its way).
 */

let dir: string
let engine: Engine
const config = (env: Record<string, string> = {}) => ({
  ...loadConfig({ DATA_DIR: dir, ...env }).store,
  // No passes but those the test asks for (flush).
  rollupPassMs: 0,
})
const T = Date.UTC(2024, 2, 4, 10)
const filter = { from: T - 3_600_000, to: T + 3_600_000 } as AuthorizedFilter

/** Saves of user 5 (3 + 4 + 5 objects at minutes 0–2), and an import's objects under its request. */
function oldRows(offsetMs: number): string {
  const at = (ms: number) => `fromUnixTimestamp64Milli(${T + offsetMs + ms})`
  const rows = [0, 1, 2].map(
    (i) =>
      `('create:shapes', 'rectangle', 'server', ${at(i * 60_000)}, ${3 + i}, 5, 7, '{"request":{"id":"save-${offsetMs}-${i}"}}')`,
  )
  rows.push(
    `('import:dataset', NULL, 'server', ${at(5000)}, NULL, 5, 7, '{"request":{"id":"import-${offsetMs}"}}')`,
    `('create:tags', NULL, 'server', ${at(6000)}, 20, 5, 7, '{"request":{"id":"import-${offsetMs}"}}')`,
  )
  return `INSERT INTO default.events (scope, obj_name, source, timestamp, count, user_id, org_id, payload) VALUES ${rows.join(', ')}`
}

/** The schema as the previous version left it: today's, with the rollups turned back. */
async function downgrade(feed: 'pass' | 'view'): Promise<void> {
  const statements = [
    ...(feed === 'view' ? [`DROP VIEW default.${ROLLUP_TABLE}_mv`] : []),
    `DROP TABLE default.${ROLLUP_TABLE}`,
    `DELETE FROM default.rollup_backfill WHERE rollup = '${ROLLUP_TABLE}'`,
    // A stand-in: only its name matters to the upgrade.
    'CREATE TABLE default.rollups_v3 AS default.events_exceptions_v2',
    ...(feed === 'view'
      ? [
          'CREATE MATERIALIZED VIEW default.rollups_v3_mv TO default.rollups_v3 AS SELECT * FROM default.events_exceptions_v2 WHERE 0',
        ]
      : []),
    'ALTER TABLE default.events MODIFY COLUMN rollup_gen UInt8 DEFAULT 4',
  ]
  for (const sql of statements) await engine.command({ name: 'test.downgrade', sql })
}

const tables = async () =>
  (
    await engine.rows<{ name: string }>({
      name: 'test.tables',
      sql: "SELECT name FROM system.tables WHERE database = 'default' AND (name LIKE 'rollups%' OR name LIKE 'events_exceptions%') ORDER BY name",
    })
  ).map((t) => t.name)

const manual = async (store: Store) => {
  const answer = await store.productivity.rows({
    filter,
    from: T - 3_600_000,
    to: T + 3_600_000,
    groups: ['user'],
    idleMs: null,
    maxGroups: 10,
  })
  return answer.rows.map((r) => [r.userId, r.manualObjectsCreated, r.importedObjectsCreated])
}

/** A change of job 42's `field` (user 5, org 7) at T + ms, under its own request. */
const change = (ms: number, field: string, value: string, request: string) =>
  `('update:job', '${field}', '${value}', 'server', fromUnixTimestamp64Milli(${T + ms}), 5, 7, 42, '{"request":{"id":"${request}"}}')`

/** Inserted as another writer would, straight into the table. */
const insert = (rows: string[]) =>
  engine.command({
    name: 'test.job_rows',
    sql: `INSERT INTO default.events (scope, obj_name, obj_val, source, timestamp, user_id, org_id, job_id, payload) VALUES ${rows.join(', ')}`,
  })

/** The job trail's rows (its markers left out). */
const copied = async () => {
  const [row] = await engine.rows<{ n: string }>({
    name: 'test.job_trail',
    sql: `SELECT count() AS n FROM default.${JOB_TRAIL.name} WHERE scope != ''`,
  })
  return Number(row?.n)
}

/** Job 42's stage, rejections and transitions, as its flow says. */
const flowOf = async (store: Store) => {
  const flows = await store.productivity.jobFlowsOf(filter, ['42'], T + 3_600_000)
  const job = flows.get('42')
  return [job?.stage, job?.rejections, job?.transitions.length]
}

/** A save of job 42's shapes by user 5 (org 7) at T + ms, under its own request. */
const save = (ms: number, request: string) =>
  `('create:shapes', 'rectangle', NULL, 'server', fromUnixTimestamp64Milli(${T + ms}), 5, 7, 42, '{"request":{"id":"${request}"}}')`

/** Job 42's wall-clock time in annotation: from its first event to its first stage change. */
const annotationMs = async (store: Store) => {
  const flows = await store.productivity.jobFlowsOf(filter, ['42'], T + 90_000)
  return flows.get('42')?.msIn.annotation
}

const trailTables = async () =>
  (
    await engine.rows<{ name: string }>({
      name: 'test.trail_tables',
      sql: "SELECT name FROM system.tables WHERE database = 'default' AND name LIKE 'job_trail%' ORDER BY name",
    })
  ).map((t) => t.name)

/** An empty store: each test builds the schema it upgrades from, whatever ran before it. */
async function emptyStore(): Promise<void> {
  const existing = await engine.rows<{ name: string }>({
    name: 'test.existing',
    // Views first: a view's target cannot go before the view.
    sql: "SELECT name FROM system.tables WHERE database = 'default' ORDER BY engine = 'MaterializedView' DESC, name",
  })
  for (const { name } of existing)
    await engine.command({ name: 'test.drop', sql: `DROP TABLE IF EXISTS default.${name} SYNC` })
}

beforeAll(async () => {
  dir = await tempDir('aa-rollups-upgrade-')
  engine = createEngine(config())
}, 120_000)
afterAll(async () => {
  await engine.close()
  await rm(dir, { recursive: true, force: true })
})

describe('upgrading the rollups', { timeout: 120_000 }, () => {
  it('drops rollups_v3, backfills the current rollups from every event and feeds them by passes', async () => {
    await emptyStore()
    const first = createStore(config())
    await first.migrate()
    await first.rollups.whenReady()
    await first.close()
    await downgrade('pass')
    await engine.command({ name: 'test.old_rows', sql: oldRows(0) })

    const store = createStore(config())
    try {
      await store.migrate()
      await store.rollups.whenReady()
      expect(store.rollups.status()).toMatchObject({ pending: [], feed: 'pass' })
      expect(await tables()).toEqual(['events_exceptions_v2', ROLLUP_TABLE])
      const [gen] = await engine.rows<{ default_expression: string }>({
        name: 'test.gen',
        sql: "SELECT default_expression FROM system.columns WHERE database = 'default' AND table = 'events' AND name = 'rollup_gen'",
      })
      expect(gen?.default_expression).toBe(String(ROLLUP_GENERATION))
      const trail = async () => {
        const [row] = await engine.rows<{ n: string }>({
          name: 'test.trail',
          sql: `SELECT sum(cnt) AS n FROM default.${ROLLUP_TABLE} WHERE grain = 5`,
        })
        return Number(row?.n)
      }
      // The backfill counted the rows from before.
      expect(await trail()).toBe(3 + 4 + 5 + 20)
      expect(await manual(store)).toEqual([['5', 12, 20]])

      // Rows since: read raw until a pass counts them, then from the rollup; the same answer.
      await engine.command({ name: 'test.new_rows', sql: oldRows(600_000) })
      expect(await trail()).toBe(32)
      expect(await manual(store)).toEqual([['5', 24, 40]])
      await store.rollups.flush()
      expect(await trail()).toBe(64)
      expect(await manual(store)).toEqual([['5', 24, 40]])
    } finally {
      await store.close()
    }
  })

  it("replaces the job trail of generation 4 (every save kept): backfilled with each person's first save, then fed by passes", async () => {
    await emptyStore()
    const first = createStore(config())
    await first.migrate()
    await first.rollups.whenReady()
    await first.close()
    // The previous version (schema 5): its job trail (a stand-in of today's under its name),
    // events written with generation 5.
    for (const sql of [
      `RENAME TABLE default.${JOB_TRAIL.name} TO default.job_trail_v4`,
      `DELETE FROM default.rollup_backfill WHERE rollup = '${JOB_TRAIL.name}'`,
      'ALTER TABLE default.events MODIFY COLUMN rollup_gen UInt8 MATERIALIZED 5',
    ])
      await engine.command({ name: 'test.downgrade', sql })
    await engine.command({ name: 'test.old_rows', sql: oldRows(0) })
    // Three saves of job 42 by user 5, then the job goes to validation.
    await insert([
      save(30_000, 'b'),
      save(10_000, 'a'),
      save(50_000, 'c'),
      change(60_000, 'stage', 'validation', 'r1'),
    ])

    const store = createStore(config())
    try {
      await store.migrate()
      await store.rollups.whenReady()
      expect(store.rollups.status()).toMatchObject({ pending: [], feed: 'pass' })
      expect(await trailTables()).toEqual([JOB_TRAIL.name])
      // The backfill kept the change and the first save (the job starts there, 50 s before its
      // change); the other saves start nothing.
      expect(await copied()).toBe(2)
      expect(await flowOf(store)).toEqual(['validation', 0, 1])
      expect(await annotationMs(store)).toBe(50_000)
      // A change since: read from the events until a pass copies it, the same answer after.
      await insert([change(120_000, 'stage', 'annotation', 'r2'), save(100_000, 'd')])
      expect(await copied()).toBe(2)
      expect(await flow()).toEqual(['annotation', 1, 2])
      await store.rollups.flush()
      expect(await copied()).toBe(3)
      expect(await flow()).toEqual(['annotation', 1, 2])
      // The save since was not the first: the pass left it out, and the job still starts at 10 s.
      expect(await annotationMs(store)).toBe(50_000)
    } finally {
      await store.close()
    }

    async function flow() {
      return flowOf(store)
    }
  })

  it('keeps views where the previous version fed its tables by views', async () => {
    // Today's schema fed by views, turned back to the previous version's.
    await emptyStore()
    const first = createStore(config({ ROLLUP_FEED: 'view' }))
    await first.migrate()
    await first.rollups.whenReady()
    await first.close()
    await downgrade('view')
    await engine.command({ name: 'test.old_rows', sql: oldRows(0) })

    // ROLLUP_FEED as most leave it: the existing copy's view decides.
    const store = createStore(config())
    try {
      await store.migrate()
      await store.rollups.whenReady()
      expect(store.rollups.status()).toMatchObject({ pending: [], feed: 'view' })
      expect(await tables()).toEqual([
        'events_exceptions_v2',
        'events_exceptions_v2_mv',
        ROLLUP_TABLE,
        `${ROLLUP_TABLE}_mv`,
      ])
      expect(await manual(store)).toEqual([['5', 12, 20]])
      await engine.command({ name: 'test.new_rows', sql: oldRows(600_000) })
      expect(await manual(store)).toEqual([['5', 24, 40]])
      // The job trail too is fed by its view, inside the insert.
      await insert([change(60_000, 'stage', 'validation', 'r1')])
      expect(await copied()).toBe(1)
      expect(await flowOf(store)).toEqual(['validation', 0, 1])
    } finally {
      await store.close()
    }
  })
})
