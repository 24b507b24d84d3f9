import { rm } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig, type StoreConfig } from '../../src/config.js'
import type { AuthorizedFilter, EventFilter, TimeRange } from '../../src/domain/filter.js'
import { emptyRecord } from '../../src/ingest/records.js'
import { createEngine, type Engine } from '../../src/store/engine.js'
import { answeredByGroups } from '../../src/store/filter-options.js'
import {
  createStore,
  serializeEvent,
  type EntityKind,
  type EventRecord,
  type Statement,
  type Store,
} from '../../src/store/index.js'
import { ROLLUP_TABLE, ROLLUPS_SINCE } from '../../src/store/rollups/catalog.js'
import { lcg } from '../support/event-mix.js'
import { tempDir } from '../support/app.js'
import { startClickHouseShim } from '../support/clickhouse-shim.js'
import { cvatEventsTableDdl, cvatVectorRow } from '../support/cvat-table.js'
import { expectServed, FILTER_OPTION_DIMS, ROLLUP_FACTS, type Needs } from '../support/rollup-sources.js'

/**
 * The rollups at their edges, on chDB and on a ClickHouse server over HTTP (CLICKHOUSE_URL, the
 * shim): rows inserted while the backfill runs, rows another writer (CVAT's Vector: CVAT's columns
 * only, straight into the events table) inserts after the upgrade, a backfill interrupted by a
 * store closing and resumed by the next one, and time series at multiples of a grain (2 hours, 7
 * days). Each ends with the rollups holding every event once (their own sums, read directly), and
 * answers equal to the raw table's, served by the rollups the catalog's facts say
 * (tests/support/rollup-sources.ts). Each test has a database of its own on one engine.
 */

const HOUR = 3_600_000
const DAY = 24 * HOUR
const START = Date.UTC(2024, 2, 4) // a Monday; epoch-aligned weeks start on Thursdays (7 March)
const DAYS = 8
const SCOPES = [
  'change:frame',
  'zoom:image',
  'send:working_time',
  'load:cvat',
  'send:exception',
  'create:shapes',
  'update:job',
]

/** Events over DAYS days from START: some exactly on an hour, some a millisecond before the next. */
function records(count: number, seed: number): EventRecord[] {
  const next = lcg(seed)
  return Array.from({ length: count }, (_, i) => {
    const user = Math.floor(next() * 4)
    const scope = SCOPES[Math.floor(next() * SCOPES.length)] ?? 'change:frame'
    const base = START + Math.floor(next() * DAYS * DAY)
    const hour = Math.floor(base / HOUR) * HOUR
    const job = next() < 0.2 ? null : 100 + Math.floor(next() * 6)
    return {
      ...emptyRecord(i % 5 === 0 ? hour : i % 7 === 0 ? hour + HOUR - 1 : base),
      scope,
      source: scope === 'send:working_time' || next() < 0.2 ? 'server' : 'client',
      duration: Math.floor(next() * 5000),
      count: scope === 'create:shapes' ? 1 + Math.floor(next() * 5) : null,
      objName: scope === 'update:job' ? 'state' : null,
      objVal: scope === 'update:job' ? 'completed' : null,
      jobId: job === null ? null : String(job),
      taskId: job === null ? null : String(10 + (job % 3)),
      projectId: job === null ? null : String(1 + (job % 2)),
      userId: String(1000 + user),
      userName: `user${user}`,
      orgId: user === 3 ? null : String(7 + (user % 2)),
      orgSlug: user === 3 ? null : `org${7 + (user % 2)}`,
      payload:
        scope === 'load:cvat'
          ? JSON.stringify({ platform: { name: ['Chrome', 'Firefox'][user % 2], os: 'Ubuntu' } })
          : null,
    }
  })
}

/** Where the engine is: chDB in the data directory, or a ClickHouse server (the shim) over HTTP. */
interface Place {
  readonly name: string
  open(dir: string): Promise<{
    config(db: string, env?: Record<string, string>): StoreConfig
    /** A server's statements held on demand (the shim's `hold`); chDB has none. */
    hold?: (pattern: RegExp, options: { skip: number }) => () => void
    close(): Promise<void>
  }>
}

const PLACES: Place[] = [
  {
    name: 'chDB',
    open: async (dir) => ({
      config: (db, env = {}) => loadConfig({ DATA_DIR: dir, CLICKHOUSE_DATABASE: db, ...env }).store,
      close: async () => {},
    }),
  },
  {
    name: 'a ClickHouse server over HTTP',
    open: async (dir) => {
      const shim = await startClickHouseShim(path.join(dir, 'server'))
      return {
        config: (db, env = {}) =>
          loadConfig({ DATA_DIR: dir, CLICKHOUSE_URL: shim.url, CLICKHOUSE_DATABASE: db, ...env }).store,
        hold: (pattern, options) => shim.hold(pattern, options),
        close: () => shim.close(),
      }
    },
  },
]

const authorized = (filter: EventFilter) => filter as AuthorizedFilter
const block = (rows: readonly EventRecord[]) => ({ body: rows.map(serializeEvent).join('\n') })

/** A store with the rollups (its statements recorded), and one reading the raw table only. */
interface Pair {
  readonly db: string
  readonly rolled: Store
  readonly raw: Store
  readonly statements: Statement[]
  readonly feed: 'pass' | 'view'
}

describe.each(PLACES)('the rollups at their edges, on $name', { timeout: 180_000 }, (place) => {
  let dir: string
  let opened: Awaited<ReturnType<Place['open']>>
  let engine: Engine
  const stores: Store[] = []

  beforeAll(async () => {
    dir = await tempDir('aa-rollup-edges-')
    opened = await place.open(dir)
    engine = createEngine(opened.config('default'))
  })
  afterAll(async () => {
    for (const store of stores) await store.close()
    await engine?.close()
    await opened?.close()
    await rm(dir, { recursive: true, force: true })
  })

  /** The store's config: no passes but those the test asks for (flush). */
  const config = (db: string, env?: Record<string, string>) => ({
    ...opened.config(db, env),
    rollupPassMs: 0,
  })

  const store = (db: string, options: Parameters<typeof createStore>[1] = {}) => {
    const created = createStore(config(db), options)
    stores.push(created)
    return created
  }

  /** CVAT's events table as CVAT creates it, in a database of its own: what the upgrade finds. */
  async function cvatTable(db: string) {
    await engine.command({ name: 'test.db', sql: `CREATE DATABASE IF NOT EXISTS ${db}` })
    await engine.command({ name: 'test.cvat_table', sql: cvatEventsTableDdl(`${db}.events`) })
  }

  /** CVAT's Vector: its 19 columns, no column list, straight into the events table. */
  async function vector(db: string, rows: readonly EventRecord[]) {
    const time = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace('Z', '')
    const id = (value: string | null) => (value === null ? null : Number(value))
    for (let i = 0; i < rows.length; i += 200) {
      const lines = rows.slice(i, i + 200).map((r) =>
        JSON.stringify(
          cvatVectorRow({
            scope: r.scope,
            obj_name: r.objName,
            obj_id: id(r.objId),
            obj_val: r.objVal,
            source: r.source,
            timestamp: time(r.timestampMs),
            count: r.count,
            duration: r.duration,
            project_id: id(r.projectId),
            task_id: id(r.taskId),
            job_id: id(r.jobId),
            user_id: id(r.userId),
            user_name: r.userName,
            user_email: null,
            org_id: id(r.orgId),
            org_slug: r.orgSlug,
            payload: r.payload,
          }),
        ),
      )
      await engine.command({
        name: 'test.vector',
        sql: `INSERT INTO ${db}.events FORMAT JSONEachRow\n${lines.join('\n')}`,
      })
    }
  }

  /** The rolled store (migrated) and a raw one on the same database. */
  async function pair(db: string, env?: Record<string, string>): Promise<Pair> {
    const statements: Statement[] = []
    const rolled = createStore(config(db, env), { observe: (s) => void statements.push(s) })
    stores.push(rolled)
    await rolled.migrate()
    await rolled.rollups.whenReady()
    const feed = rolled.rollups.status().feed
    if (feed === null) throw new Error('no feed')
    return { db, rolled, raw: store(db, { rollups: false }), statements, feed }
  }

  /** Each rollup's events, summed from its own rows (not through the reads, which add the gap). */
  async function rollupSums(db: string): Promise<Record<number, number>> {
    const rows = await engine.rows<{ grain: number; n: string }>({
      name: 'test.rollup_sums',
      sql: `SELECT grain, sum(n) AS n FROM ${db}.${ROLLUP_TABLE} WHERE grain > 0 GROUP BY grain ORDER BY grain`,
    })
    return Object.fromEntries(rows.map((r) => [r.grain, Number(r.n)]))
  }

  /** What each rollup holds once it has counted the events matching `where`: per its scopes. */
  async function eventSums(db: string, where = '1'): Promise<Record<number, number>> {
    const columns = ROLLUP_FACTS.map(
      (f, i) => `${f.onlyScopes ? `countIf(scope IN {s${i}:Array(String)})` : 'count()'} AS g${f.grain}`,
    )
    const [row] = await engine.rows<Record<string, string>>({
      name: 'test.event_sums',
      sql: `SELECT ${columns.join(', ')} FROM ${db}.events WHERE ${where}`,
      params: Object.fromEntries(ROLLUP_FACTS.map((f, i) => [`s${i}`, f.onlyScopes ?? []])),
    })
    return Object.fromEntries(
      ROLLUP_FACTS.map((f) => [f.grain, Number(row?.[`g${f.grain}`])] as const).filter(([, n]) => n > 0),
    )
  }

  const eventCount = async (db: string) => (await eventSums(db))[3] ?? 0

  /**
   * Asks `ask` of both stores, compares, and checks the rolled store's statement `name` read
   * what the facts say. Returns the grains it read.
   */
  async function same<T>(
    t: Pair,
    name: string,
    needs: Needs,
    filter: EventFilter,
    range: TimeRange,
    ask: (store: Store, filter: AuthorizedFilter) => Promise<T>,
  ): Promise<number[]> {
    const f = authorized({ ...filter, ...range })
    const first = t.statements.length
    const [expected, actual] = await Promise.all([ask(t.raw, f), ask(t.rolled, f)])
    expect(actual, JSON.stringify({ name, filter: f })).toEqual(expected)
    return expectServed(t.statements.slice(first), { name, needs, db: t.db, feed: t.feed }, filter, range)
  }

  /** The filters of the dashboards' variables are answered from the read shared by every viewer. */
  const optionsStatement = (filter: EventFilter) =>
    answeredByGroups(filter) ? 'analytics.filter_options_by_user' : 'analytics.filter_options'

  const WHOLE: TimeRange = { from: START, to: START + DAYS * DAY - 1 }
  // Across Thursday 7 March (a 7-day bucket's start), not on any cell's edge.
  const ACROSS: TimeRange = { from: START + 3 * HOUR + 17_000, to: START + 6 * DAY + 5 * HOUR + 3_000 }

  /**
   * Every aggregation the rollups serve (activity at multiples of grains, working time, scopes,
   * platforms, active users, filter options, entities), on whole days for everyone and on a range
   * cut mid-hour for an organization, equals the raw table's answer, from the rollups; and the
   * events counted are `total`.
   */
  async function expectExact(t: Pair, total: number) {
    let rollupAnswers = 0
    const count = (grains: number[]) => void (rollupAnswers += grains.length > 0 ? 1 : 0)
    const asked: [TimeRange, EventFilter][] = [
      [WHOLE, {}],
      [ACROSS, { orgIds: ['7'] }],
    ]
    for (const [range, filter] of asked) {
      for (const interval of [HOUR, 2 * HOUR, DAY, 7 * DAY]) {
        const needs = { dims: ['user_id'], intervalMs: interval }
        count(
          await same(t, 'analytics.activity', needs, filter, range, (s, f) =>
            s.analytics.activity(f, range, interval),
          ),
        )
      }
      const needs = { dims: ['user_id', 'scope', 'source', 'user_name'] }
      count(
        await same(t, 'analytics.working_time', needs, filter, range, (s, f) =>
          s.analytics.workingTime(f, ['user'], 100),
        ),
      )
      count(
        await same(t, 'analytics.scope_durations', { dims: ['scope', 'source'] }, filter, range, (s, f) =>
          s.analytics.scopeDurations(f),
        ),
      )
      const platforms = { dims: ['user_id', 'browser', 'os'], scopes: ['load:cvat'] }
      count(
        await same(t, 'analytics.platforms', platforms, filter, range, (s, f) => s.analytics.platforms(f)),
      )
      const users = { dims: ['user_id', 'user_name'] }
      count(
        await same(t, 'analytics.active_users', users, filter, range, (s, f) =>
          s.analytics.activeUsers(f, 100),
        ),
      )
      const options = {
        dims: FILTER_OPTION_DIMS,
      }
      count(
        await same(t, optionsStatement(filter), options, filter, range, (s, f) =>
          s.analytics.filterOptions(f, 100),
        ),
      )
      const totals = { dims: ['job_id', 'scope', 'source'] }
      count(
        await same(t, 'analytics.working_time_by_job', totals, filter, range, (s, f) =>
          s.analytics.workingTimeTotals(f, 'job', ['101', '102', '103']),
        ),
      )
      count(
        await same(t, 'entities.span_by_user', users, filter, range, (s, f) =>
          s.entities.spans(f, 'user', ['1000', '1001', '1002']),
        ),
      )
      count(
        await same(t, 'entities.list_tasks', { dims: ['task_id'] }, filter, range, (s, f) =>
          s.entities.list(f, 'task', 10),
        ),
      )
    }
    // Every answer above had whole cells of some rollup to read.
    expect(rollupAnswers).toBe(asked.length * 12)
    const buckets = await t.rolled.analytics.activity(authorized(WHOLE), WHOLE, DAY)
    expect(buckets.reduce((sum, b) => sum + b.count, 0)).toBe(total)
  }

  it('counts rows inserted while the backfill runs once: ours and another writer’s', async () => {
    const db = 'edges_during'
    await cvatTable(db)
    const before = records(600, 1)
    await vector(db, before)
    const ours = records(300, 2)
    const theirs = records(200, 3)

    // The rows go in once the backfill has counted its first day. On a server the next day's
    // chunk waits until they are in (the shim holds it); chDB has nothing to hold it with, and the
    // backfill has seven days left to count against two inserts. Either way it is checked below:
    // the backfill was pending when both were acknowledged, and counted days after.
    const statements: Statement[] = []
    const release = opened.hold?.(/^aa:rollups\.backfill_chunk:/, { skip: 1 })
    const chunks = () =>
      statements.filter(
        (s) => s.name === 'rollups.backfill_chunk' && s.sql.includes(`${db}.${ROLLUP_TABLE} `),
      ).length
    let during: Promise<{ pending: string[]; chunks: number }> | undefined
    const rolled = store(db, {
      observe: (s) => {
        statements.push(s)
        if (!during && chunks() === 1) during = insertDuring()
      },
    })
    async function insertDuring() {
      try {
        await rolled.ingest.insert(block(ours))
        await vector(db, theirs)
        const seen = { pending: rolled.rollups.status().pending, chunks: chunks() }
        // And a pass meanwhile: it counts the rows since the upgrade, the backfill those before.
        await rolled.rollups.flush()
        return seen
      } finally {
        release?.()
      }
    }
    await rolled.migrate()
    await rolled.rollups.whenReady()
    expect(during).toBeDefined()
    const seen = await during
    expect(seen?.pending).toContain(ROLLUP_TABLE)
    expect(seen?.chunks).toBeLessThan(chunks())
    expect(chunks()).toBe(DAYS)

    // The backfill counted the rows from before only; the pass those since.
    const total = before.length + ours.length + theirs.length
    expect(await eventCount(db)).toBe(total)
    expect(await rollupSums(db)).toEqual(await eventSums(db))
    await expectExact({ db, rolled, raw: store(db, { rollups: false }), statements, feed: 'pass' }, total)
  })

  it('resumes a backfill interrupted mid-way in the next store, counting every day once', async () => {
    const db = 'edges_resume'
    await cvatTable(db)
    const before = records(600, 4)
    await vector(db, before)

    // The first store closes once the backfill has recorded three days.
    const recorded = (sql: readonly Statement[]) =>
      sql.filter((s) => s.name === 'rollups.backfill_record' && s.params?.['rollup'] === ROLLUP_TABLE).length
    const seen: Statement[] = []
    let closing: Promise<void> | undefined
    let closed: () => void = () => {}
    const interrupted = new Promise<void>((resolve) => (closed = resolve))
    const first = createStore(config(db), {
      observe: (s) => {
        seen.push(s)
        if (closing || recorded(seen) < 3) return
        closing = first.close().then(closed)
      },
    })
    await first.migrate()
    await interrupted
    const days = async () =>
      (
        await engine.rows<{ day: string; complete: number }>({
          name: 'test.backfill_days',
          sql: `SELECT toString(day) AS day, complete FROM ${db}.rollup_backfill WHERE rollup = '${ROLLUP_TABLE}' ORDER BY day`,
        })
      ).map((r) => ({ day: r.day, complete: Number(r.complete) }))
    const done = await days()
    // Interrupted: some days recorded, not all, and not complete.
    expect(done.length).toBeGreaterThanOrEqual(3)
    expect(done.length).toBeLessThan(DAYS)
    expect(done.every((d) => d.complete === 0)).toBe(true)
    // As if it had crashed between a day's chunk and its record: the chunk is in, the record is not.
    await engine.command({
      name: 'test.lose_record',
      sql: `ALTER TABLE ${db}.rollup_backfill DELETE WHERE rollup = '${ROLLUP_TABLE}' AND day = {day:Date}
            SETTINGS mutations_sync = 2`,
      params: { day: done.at(-1)?.day },
    })
    // Rows while no store runs: after the upgrade, so the feed's.
    const between = records(150, 5)
    await vector(db, between)

    const t = await pair(db)
    await t.rolled.rollups.flush()
    // The next store resumed: it counted only the days without a record (the lost one again,
    // which the engine keeps once: the same deduplication token).
    const chunks = t.statements.filter(
      (s) => s.name === 'rollups.backfill_chunk' && s.sql.includes(`${db}.${ROLLUP_TABLE} `),
    )
    expect(chunks).toHaveLength(DAYS - done.length + 1)
    const total = before.length + between.length
    expect(await eventCount(db)).toBe(total)
    expect(await rollupSums(db)).toEqual(await eventSums(db))
    await expectExact(t, total)
  })

  for (const feed of ['pass', 'view'] as const) {
    it(`counts what CVAT's Vector inserts after the upgrade (fed by ${feed === 'pass' ? 'passes' : 'views'})`, async () => {
      const db = `edges_vector_${feed}`
      await cvatTable(db)
      const before = records(300, 6)
      await vector(db, before)
      const t = await pair(db, { ROLLUP_FEED: feed })
      expect(t.feed).toBe(feed)
      const after = records(400, 7)
      await vector(db, after)
      const ours = records(100, 8)
      await t.rolled.ingest.insert(block(ours))
      const total = before.length + after.length + ours.length
      expect(await eventCount(db)).toBe(total)
      // Fed by passes: the rollups hold the rows from before until a pass (reads take the rest
      // raw, beside them); fed by views: every row as it is inserted.
      expect(await rollupSums(db)).toEqual(
        await eventSums(db, feed === 'pass' ? `rollup_gen < ${ROLLUPS_SINCE}` : '1'),
      )
      await expectExact(t, total)
      if (feed === 'view') return
      await t.rolled.rollups.flush()
      expect(await rollupSums(db)).toEqual(await eventSums(db))
      await expectExact(t, total)
    })
  }

  it('answers time series at 2 hours and 7 days from the hourly and daily grains, as the raw table does', async () => {
    const db = 'edges_intervals'
    await cvatTable(db)
    await vector(db, records(400, 9))
    const t = await pair(db)
    await t.rolled.ingest.insert(block(records(300, 10)))
    await t.rolled.rollups.flush()
    await vector(db, records(200, 11))
    // Whole hours, from a Tuesday's 02:00 to the next Tuesday's 01:00.
    const HOURS: TimeRange = { from: START + DAY + 2 * HOUR, to: START + 8 * DAY + HOUR - 1 }
    const asked: [TimeRange, EventFilter][] = [
      [WHOLE, {}],
      [ACROSS, {}],
      [ACROSS, { jobIds: ['101', '103'] }],
      [HOURS, { userNames: ['user1'] }],
    ]
    const kinds: EntityKind[] = ['user', 'job']
    for (const [range, filter] of asked) {
      // 2 hours: an hourly grain (a day's cell does not divide it), 5 minutes at the edges; users
      // by hour unless the filter names jobs.
      const hourly = filter.jobIds ? 2 : 6
      const twoHours = await same(
        t,
        'analytics.activity',
        { dims: ['user_id'], intervalMs: 2 * HOUR },
        filter,
        range,
        (s, f) => s.analytics.activity(f, range, 2 * HOUR),
      )
      expect(twoHours).toContain(hourly)
      expect(twoHours).not.toContain(3)
      // 7 days: the daily grain, with finer ones at the edges.
      const week = await same(
        t,
        'analytics.activity',
        { dims: ['user_id'], intervalMs: 7 * DAY },
        filter,
        range,
        (s, f) => s.analytics.activity(f, range, 7 * DAY),
      )
      expect(week).toContain(3)
      for (const kind of kinds) {
        for (const interval of [2 * HOUR, 7 * DAY]) {
          const dims = kind === 'user' ? ['user_id', 'user_name'] : ['job_id', 'user_id']
          const grains = await same(
            t,
            `analytics.activity_by_${kind}`,
            { dims, intervalMs: interval },
            filter,
            range,
            (s, f) => s.analytics.activityByEntity(f, range, interval, kind),
          )
          expect(grains).toContain(interval === 2 * HOUR ? (kind === 'user' ? hourly : 2) : 3)
        }
      }
    }
    // The buckets are the weeks the epoch starts on Thursdays: the range across 7 March has two.
    const weeks = await t.rolled.analytics.activity(authorized(ACROSS), ACROSS, 7 * DAY)
    expect(weeks.map((b) => new Date(b.startMs).toISOString().slice(0, 10))).toEqual([
      '2024-02-29',
      '2024-03-07',
    ])
    expect(weeks.every((b) => b.count > 0)).toBe(true)
  })
})
