import { rm } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config.js'
import {
  withScopes,
  type AuthorizedFilter,
  type EventFilter,
  type TimeRange,
} from '../../src/domain/filter.js'
import { emptyRecord } from '../../src/ingest/records.js'
import { createEngine, type Engine } from '../../src/store/engine.js'
import {
  createStore,
  serializeEvent,
  WORKING_TIME_DIMENSIONS,
  type EntityKind,
  type EventRecord,
  type Statement,
  type Store,
} from '../../src/store/index.js'
import type { ProductivityGroup } from '../../src/domain/productivity.js'
import { sortProductivityRows } from '../../src/domain/productivity-order.js'
import {
  JOB_UPDATE_SCOPE,
  OBJECT_SCOPES,
  REDO_SCOPE,
  UNDO_SCOPE,
  WORKING_TIME_SCOPE,
} from '../../src/domain/scopes.js'
import { answeredByGroups } from '../../src/store/filter-options.js'
import type { EventCursor } from '../../src/store/index.js'
import { DERIVED_TABLES, JOB_TRAIL, ROLLUP_TABLE, ROLLUPS } from '../../src/store/rollups/catalog.js'
import { markerSql } from '../../src/store/rollups/feed.js'
import { lcg } from '../support/event-mix.js'
import { tempDir } from '../support/app.js'
import { cvatEventsTableDdl } from '../support/cvat-table.js'
import {
  answering,
  expectServed,
  FILTER_OPTION_DIMS,
  grainsRead,
  ROLLUP_FACTS,
  type Needs,
} from '../support/rollup-sources.js'

/**
 * Every aggregation of the analytics and entities families, asked of the same data through the
 * rollups and through the raw table (a store made with `rollups: false`), must give the same
 * answer. The data is built to hit the edges: rows written before the rollups existed (counted
 * by the backfill), rows a pass has counted since and rows no pass has counted yet (read raw:
 * our inserts, and another writer's straight into the table), a retried insert the engine
 * deduplicates, events exactly on and one millisecond off cell boundaries, ranges aligned and not,
 * events without a job, user or organization, a user renamed mid-range, platforms in payloads.
 * Each answer is also checked for its source: the rollups where the catalog's facts say one can
 * answer (tests/support/rollup-sources.ts), the raw table otherwise, so that an aggregation that
 * fell back to the raw table cannot pass by comparing the raw table with itself.
 */

const DAY = 86_400_000
const HOUR = 3_600_000
const START = Date.UTC(2024, 2, 4) // a Monday
const SCOPES = [
  'change:frame',
  'draw:object',
  'zoom:image',
  'save:job',
  'send:working_time',
  'load:cvat',
  'send:exception',
  // What productivity reads: saves, imports and model runs (sharing request ids), job changes, undo/redo.
  'create:shapes',
  'create:tags',
  'update:shapes',
  'delete:tracks',
  'import:dataset',
  'call:function',
  'create:job',
  'update:job',
  'action:undo',
  'action:redo',
]
const SHAPES = ['rectangle', 'polygon', 'points']
const JOB_FIELDS = [
  ['stage', ['annotation', 'validation', 'acceptance']],
  ['state', ['new', 'in progress', 'rejected', 'completed']],
  ['assignee', ['1001', '1002']],
  ['updated_date', ['2024-03-05 10:00:00.000000+00:00']],
] as const
// Of several categories of the Users Exceptions report, one left out, one of no category.
const EXCEPTION_MESSAGES = [
  'Network Error',
  'Request failed with status code 502: Bad Gateway',
  'TypeError: cannot read properties of undefined',
  'PermissionDenied: you do not have permission to perform this action.',
  'Something else broke',
]
const BROWSERS = ['Chrome', 'Firefox', 'Safari']
const SYSTEMS = ['Windows 10', 'macOS', 'Ubuntu']

let dir: string
let engine: Engine
let rolled: Store
let raw: Store
const statements: Statement[] = []
/** A derived table of the catalog, by name. */
const derived = (name: string) => {
  const table = DERIVED_TABLES.find((t) => t.name === name)
  if (!table) throw new Error(`no derived table ${name}`)
  return table
}

function events(count: number, seed: number): EventRecord[] {
  const next = lcg(seed)
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T
  return Array.from({ length: count }, (_, i) => {
    const user = Math.floor(next() * 6)
    const scope = pick(SCOPES)
    // Mostly random times over four days; every 7th exactly on an hour, every 11th a millisecond before one.
    const base = START + Math.floor(next() * 4 * DAY)
    const timestampMs =
      i % 7 === 0 ? Math.floor(base / HOUR) * HOUR : i % 11 === 0 ? Math.floor(base / HOUR) * HOUR - 1 : base
    const job = next() < 0.15 ? null : String(100 + Math.floor(next() * 12))
    const [field, values] = pick(JOB_FIELDS)
    const fieldValue = pick(values)
    const [action, kind] = scope.split(':')
    const saved = kind === 'shapes' || kind === 'tags' || kind === 'tracks'
    const record: EventRecord = {
      ...emptyRecord(timestampMs),
      scope,
      source: scope === 'send:working_time' ? 'server' : next() < 0.9 ? 'client' : 'server',
      objName:
        scope === 'update:job'
          ? field
          : saved && kind !== 'tags'
            ? pick(SHAPES)
            : next() < 0.2
              ? 'label'
              : null,
      objVal: scope === 'update:job' ? (field === 'assignee' ? `{'id': ${fieldValue}}` : fieldValue) : null,
      objId: scope === 'update:job' && field === 'assignee' ? fieldValue : null,
      count: saved || action === 'action' ? 1 + Math.floor(next() * 9) : null,
      duration: scope === 'send:working_time' ? Math.floor(next() * 100_000) : Math.floor(next() * 3000),
      jobId: job,
      taskId: job === null ? null : String(10 + (Number(job) % 4)),
      projectId: job === null ? null : String(1 + (Number(job) % 2)),
      userId: user === 5 ? null : String(1000 + user),
      // User 1001 was renamed on the third day.
      userName:
        user === 5 ? null : user === 1 && timestampMs > START + 2 * DAY ? 'bea.renamed' : `user${user}`,
      orgId: user === 4 ? null : String(7 + (user % 2)),
      orgSlug: user === 4 ? null : `org${7 + (user % 2)}`,
      payload:
        scope === 'load:cvat'
          ? JSON.stringify({ platform: { name: pick(BROWSERS), os: pick(SYSTEMS) } })
          : scope === 'send:exception'
            ? JSON.stringify({ message: EXCEPTION_MESSAGES[i % EXCEPTION_MESSAGES.length] })
            : // Requests shared by several rows: an import's or a model run's objects share its id.
              JSON.stringify({
                n: i,
                request: {
                  // Imports are requests 0–9, model runs 10–19; saves any of 0–199.
                  id: `request-${scope === 'import:dataset' ? Math.floor(next() * 10) : scope === 'call:function' ? 10 + Math.floor(next() * 10) : Math.floor(next() * 200)}`,
                },
              }),
    }
    return record
  })
}

const block = (records: readonly EventRecord[]) => records.map(serializeEvent).join('\n')

beforeAll(async () => {
  dir = await tempDir('aa-rollups-')
  const config = loadConfig({ DATA_DIR: dir }).store
  engine = createEngine(config)
  // A table from before the rollups, with rows in it: CVAT's table, as the migration finds it.
  await engine.command({
    name: 'test.cvat_table',
    sql: cvatEventsTableDdl('default.events'),
  })
  const before = events(1500, 1)
  const columns = [
    'scope, obj_name, obj_id, obj_val, source, timestamp, count, duration, project_id, task_id, job_id',
    'user_id, user_name, user_email, org_id, org_slug, payload, access_token_id, remote_addr',
  ].join(', ')
  await engine.insert({
    name: 'test.before',
    table: 'default.events',
    columns: columns.split(', '),
    format: 'TabSeparated',
    // CVAT's columns only: a line without our event_id (first), exception_group and heartbeats (last).
    body: before.map((r) => serializeEvent(r).split('\t').slice(1, -2).join('\t')).join('\n'),
  })

  // No passes but those the test asks for (flush).
  rolled = createStore({ ...config, rollupPassMs: 0 }, { observe: (s) => void statements.push(s) })
  raw = createStore(config, { rollups: false, sharedFilterOptions: false })
  await rolled.migrate()
  await rolled.rollups.whenReady()

  // After: one block twice with one token (the spool's retry), one without, counted by a pass;
  // then one of ours and one of another writer (CVAT's columns only) that no pass has counted.
  const after = events(1500, 2)
  await rolled.ingest.insert({ body: block(after.slice(0, 500)), dedupToken: 'retried-block' })
  await rolled.ingest.insert({ body: block(after.slice(0, 500)), dedupToken: 'retried-block' })
  await rolled.ingest.insert({ body: block(after.slice(500, 900)) })
  await rolled.rollups.flush()
  await rolled.ingest.insert({ body: block(after.slice(900, 1200)) })
  await engine.insert({
    name: 'test.other_writer',
    table: 'default.events',
    columns: columns.split(', '),
    format: 'TabSeparated',
    body: after
      .slice(1200)
      .map((r) => serializeEvent(r).split('\t').slice(1, -2).join('\t'))
      .join('\n'),
  })
}, 120_000)

afterAll(async () => {
  await rolled.close()
  await raw.close()
  await engine.close()
  await rm(dir, { recursive: true, force: true })
})

const authorized = (filter: EventFilter) => filter as AuthorizedFilter

/** Ranges: whole days, whole hours, arbitrary milliseconds, and a few minutes. */
const RANGES: TimeRange[] = [
  { from: START, to: START + 4 * DAY - 1 },
  { from: START + 5 * HOUR, to: START + 29 * HOUR - 1 },
  { from: START + 3 * HOUR + 123_457, to: START + 3 * DAY + 7 * HOUR + 98_765 },
  { from: START + DAY + 61_000, to: START + DAY + 4 * 60_000 },
]

/** Filters as the policy leaves them, and the dashboards' own. */
const FILTERS: EventFilter[] = [
  {},
  { orgIds: ['7'] },
  { orgIds: ['8'], userIds: ['1001'] },
  { jobIds: ['101', '105'] },
  { scopes: ['send:exception'] },
  { sources: ['server'] },
  { userNames: ['bea.renamed'] },
  { hasJob: false },
  { hasJob: true, projectIds: ['2'] },
  { objNames: ['label'] },
]

// Multiples of a grain too (2 h of the hourly, 7 days of the daily: epoch-aligned weeks start on Thursdays).
const INTERVALS = [60_000, 300_000, 900_000, HOUR, 2 * HOUR, DAY, 7 * DAY]
const KINDS: EntityKind[] = ['user', 'job', 'task', 'project']
const COLUMN: Record<EntityKind, string> = {
  user: 'user_id',
  job: 'job_id',
  task: 'task_id',
  project: 'project_id',
}

type Check<R = TimeRange> = (sql: readonly Statement[], filter: EventFilter, range: R) => void

/** How many answers of each aggregation a rollup served, how many the raw table alone, and what it reads. */
const served = new Map<string, { rollup: number; raw: number; needs: Needs }>()

/**
 * The check that `name` was served as the facts say (expectServed), counting per aggregation
 * which source answered: `same` then requires both (a rollup only where one can answer the
 * aggregation at all), so each comparison compared something.
 */
function source(name: string, needs: Needs): Check<Partial<TimeRange>> {
  return (sql, filter, range) => {
    const grains = expectServed(sql, { name, needs }, filter, range)
    const tally = served.get(name) ?? { rollup: 0, raw: 0, needs }
    tally[grains.length > 0 ? 'rollup' : 'raw'] += 1
    served.set(name, tally)
  }
}

/**
 * Asks `ask` of both stores for every range and filter and compares the answers; `check`, when
 * given, is shown the statements the rolled store ran for that one answer (only it records them).
 */
async function same<T>(
  ask: (store: Store, filter: AuthorizedFilter, range: TimeRange) => Promise<T>,
  check?: Check,
) {
  served.clear()
  for (const range of RANGES) {
    for (const filter of FILTERS) {
      const f = authorized({ ...filter, ...range })
      const first = statements.length
      const [expected, actual] = await Promise.all([ask(raw, f, range), ask(rolled, f, range)])
      expect(actual, JSON.stringify({ filter: f })).toEqual(expected)
      check?.(statements.slice(first), filter, range)
    }
  }
  // Among the ranges and filters, a rollup answered some and the raw table others.
  for (const [name, tally] of served) {
    if (answering({}, tally.needs).length > 0) expect(tally.rollup, name).toBeGreaterThan(0)
    expect(tally.raw, name).toBeGreaterThan(0)
  }
}

/** Whether the range holds a whole hour (a cell the hourly grains can answer). */
const hasWholeHour = (range: TimeRange) => Math.ceil(range.from / HOUR) * HOUR + HOUR <= range.to + 1

/** Whether the filter leaves any of these scopes (it names none, or some of them). */
const keeps = (filter: EventFilter, scopes: readonly string[]) =>
  !filter.scopes || filter.scopes.some((s) => scopes.includes(s))

/**
 * Whether the statement named `name` among `sql` read one of these grains of the rollups and,
 * beside it, the events no pass has counted yet (so the answer was the rollup's, not the raw table's).
 */
function rollupReads(sql: readonly Statement[], name: string, grains: readonly number[]): boolean {
  const statement = sql.find((s) => s.name === name)
  if (!statement) throw new Error(`no statement ${name} among ${sql.map((s) => s.name).join(', ')}`)
  return (
    grains.some((g) => grainsRead(statement.sql).includes(g)) &&
    statement.sql.includes(
      `AND _block_number > (SELECT max(blk) FROM default.${ROLLUP_TABLE} WHERE grain = 0)`,
    )
  )
}

describe('rollups answer as the raw table does', { timeout: 180_000 }, () => {
  it('counts every row: those from before the views, those since, and a retried block once', async () => {
    const range = { from: START - DAY, to: START + 5 * DAY }
    const [row] = await engine.rows<{ n: string }>({
      name: 'test.count',
      sql: 'SELECT count() AS n FROM default.events WHERE timestamp < fromUnixTimestamp64Milli({to:Int64})',
      params: { to: range.to },
    })
    expect(Number(row?.n)).toBe(3000)
    const all = await rolled.analytics.activity(authorized(range), range, DAY)
    expect(all.reduce((sum, b) => sum + b.count, 0)).toBe(3000)
    expect(rolled.rollups.status()).toMatchObject({ pending: [], lastError: null, feed: 'pass' })
  })

  it('activity: events and distinct users per interval', async () => {
    for (const interval of INTERVALS)
      await same(
        (s, f, r) => s.analytics.activity(f, r, interval),
        // Distinct users: the 5-minute grain answers too (when its cell divides the interval).
        source('analytics.activity', { dims: ['user_id'], intervalMs: interval }),
      )
  })

  it('activity per user, job, task and project, for all and for some ids', async () => {
    for (const kind of KINDS) {
      // Per user its name too; per job, task or project its distinct users.
      const dims = kind === 'user' ? ['user_id', 'user_name'] : [COLUMN[kind], 'user_id']
      const name = `analytics.activity_by_${kind}`
      await same(
        (s, f, r) => s.analytics.activityByEntity(f, r, HOUR, kind),
        source(name, { dims, intervalMs: HOUR }),
      )
      // 15 minutes: the 5-minute grain for users; no rollup for the others (the raw table only).
      await same(
        (s, f, r) => s.analytics.activityByEntity(f, r, 900_000, kind, ['1001', '101', '11', '2']),
        source(name, { dims, intervalMs: 900_000 }),
      )
    }
  })

  it('working time by every grouping, and per entity', async () => {
    const groupings = [[], ['user'], ['job'], [...WORKING_TIME_DIMENSIONS]] as const
    // Both sums read scope and source: the hourly and daily grains, never the 5-minute one.
    for (const groupBy of groupings) {
      const dims = [
        ...groupBy.map((g) => COLUMN[g]),
        'scope',
        'source',
        ...((groupBy as readonly string[]).includes('user') ? ['user_name'] : []),
      ]
      await same(
        (s, f) => s.analytics.workingTime(f, groupBy, 1000),
        source('analytics.working_time', { dims }),
      )
    }
    for (const kind of KINDS)
      await same(
        (s, f) => s.analytics.workingTimeTotals(f, kind, ['1000', '1001', '103', '11', '1', '2']),
        source(`analytics.working_time_by_${kind}`, { dims: [COLUMN[kind], 'scope', 'source'] }),
      )
  })

  it('active users, scopes and durations, platforms, filter options', async () => {
    await same(
      (s, f) => s.analytics.activeUsers(f, 1000),
      source('analytics.active_users', { dims: ['user_id', 'user_name'] }),
    )
    await same(
      async (s, f) => {
        const rows = await s.analytics.scopeDurations(f)
        // A mean is a division: compared to 9 significant digits, everything else exactly.
        return rows.map((r) => ({ ...r, avgMs: Number(r.avgMs.toPrecision(9)) }))
      },
      source('analytics.scope_durations', { dims: ['scope', 'source'] }),
    )
    // Platforms keep to `load:cvat` events: the platforms rollup (no other keeps browsers).
    await same(
      (s, f) => s.analytics.platforms(f),
      source('analytics.platforms', { dims: ['user_id', 'browser', 'os'], scopes: ['load:cvat'] }),
    )
    // The raw store scans for every filter; the rolled one reads the per-person groups it shares
    // among viewers where the filter allows: the answers must not tell them apart.
    const scanned = source('analytics.filter_options', { dims: FILTER_OPTION_DIMS })
    const grouped = source('analytics.filter_options_by_user', { dims: FILTER_OPTION_DIMS })
    const options: Check<Partial<TimeRange>> = (sql, filter, range) =>
      (answeredByGroups(filter) ? grouped : scanned)(sql, filter, range)
    await same((s, f) => s.analytics.filterOptions(f, 1000), options)
    await same((s, f) => s.analytics.filterOptions(f, 3), options)
  })

  it('entity spans and lists, over a range and over all time', async () => {
    for (const kind of KINDS) {
      const spans = source(`entities.span_by_${kind}`, {
        dims: [COLUMN[kind], ...(kind === 'user' ? ['user_name'] : [])],
      })
      const list = source(`entities.list_${kind}s`, { dims: [COLUMN[kind]] })
      await same(
        (s, f) => s.entities.spans(f, kind, ['1000', '1001', '1002', '101', '104', '10', '11', '1', '2']),
        spans,
      )
      await same((s, f) => s.entities.list(f, kind, 5), list)
      // Over all time: the daily grain (its cells span 1970 to 2106), the raw table around it.
      const allTime = authorized({ orgIds: ['7'] })
      let first = statements.length
      expect(await rolled.entities.spans(allTime, kind, ['1000', '101', '11', '1'])).toEqual(
        await raw.entities.spans(allTime, kind, ['1000', '101', '11', '1']),
      )
      spans(statements.slice(first), allTime, {})
      first = statements.length
      expect(await rolled.entities.list(allTime, kind, 100)).toEqual(
        await raw.entities.list(allTime, kind, 100),
      )
      list(statements.slice(first), allTime, {})
    }
  })

  it('productivity: objects by request kind, working time and undo/redo per grouping; job flows', async () => {
    const groupings: ProductivityGroup[][] = [[], ['user', 'job'], ['shape_type', 'week'], ['project', 'day']]
    for (const groups of groupings) {
      await same(
        async (s, f, r) => {
          const answer = await s.productivity.rows({
            filter: f,
            ...r,
            groups,
            idleMs: null,
            maxGroups: 10_000,
          })
          return sortProductivityRows(answer.rows, groups)
        },
        (sql, filter, range) => {
          if (!hasWholeHour(range)) return
          // Objects, working time and undo/redo: the trail (grain 5), which holds them all, and the
          // rows no pass has counted yet, wherever the filter leaves any of their scopes.
          if (keeps(filter, [...OBJECT_SCOPES, WORKING_TIME_SCOPE, UNDO_SCOPE, REDO_SCOPE]))
            expect(rollupReads(sql, 'productivity.counts', [5])).toBe(true)
          expect(grainsRead(sql.find((st) => st.name === 'productivity.counts')?.sql ?? '')).not.toContain(3)
        },
      )
    }
    await same(
      (s, f, r) => s.productivity.jobFlows(f, r.to, 100),
      (sql, filter, range) => {
        if (!hasWholeHour(range) || !keeps(filter, [JOB_UPDATE_SCOPE])) return
        // The jobs changed last and each job's history are read from the job trail, sorted by job,
        // with the events not copied yet; the jobs from the trail rollup when the filter names
        // what the job trail does not keep.
        const jobs = sql.filter((st) => st.name === 'productivity.job_flow_jobs')
        if (filter.sources?.length) expect(rollupReads(sql, 'productivity.job_flow_jobs', [5])).toBe(true)
        const history = sql.filter((st) => st.name === 'productivity.job_flow_events')
        for (const st of filter.sources?.length ? history : [...jobs, ...history]) {
          expect(st.sql).toContain(`FROM default.${JOB_TRAIL.name} WHERE`)
          expect(st.sql).toContain(`_block_number > ${markerSql('default', derived(JOB_TRAIL.name))}`)
          expect(grainsRead(st.sql)).toEqual([])
        }
      },
    )
    // The data holds every kind of object: the comparisons compare something.
    const [all] = (
      await rolled.productivity.rows({
        filter: authorized({}),
        from: START,
        to: START + 4 * DAY,
        groups: [],
        idleMs: null,
        maxGroups: 10,
      })
    ).rows
    expect(all?.manualObjectsCreated).toBeGreaterThan(0)
    expect(all?.importedObjectsCreated).toBeGreaterThan(0)
    expect(all?.automaticObjectsCreated).toBeGreaterThan(0)
    const shapes = await rolled.productivity.rows({
      filter: authorized({}),
      from: START,
      to: START + 4 * DAY,
      groups: ['shape_type'],
      idleMs: null,
      maxGroups: 10,
    })
    expect(shapes.rows.map((r) => r.shapeType).sort()).toEqual([
      null,
      'points',
      'polygon',
      'rectangle',
      'tag',
    ])
  }, 240_000)

  it("the Users Exceptions report and its top messages, from the exceptions' own table", async () => {
    const report = async (s: Store, f: AuthorizedFilter, r: TimeRange) => {
      const data = await s.exceptions.report(withScopes(f, ['send:exception']), {
        ...r,
        previousFrom: r.from - (r.to - r.from),
      })
      return {
        ...data,
        bySource: [...data.bySource],
        byCategory: [...data.byCategory],
        bySourceCategory: [...data.bySourceCategory],
      }
    }
    const fromCopy = (sql: readonly Statement[], filter: EventFilter) => {
      // Every filter but one naming only other scopes keeps exceptions: the copy answers.
      if (filter.scopes && !filter.scopes.includes('send:exception')) return
      for (const st of sql) expect(st.sql, st.name).toContain('FROM default.events_exceptions_v2 WHERE')
    }
    await same(report, fromCopy)
    await same((s, f) => s.exceptions.messages(withScopes(f, ['send:exception']), null, 50), fromCopy)
    await same(
      (s, f) => s.exceptions.messages(withScopes(f, ['send:exception']), 'Network Error', 50),
      fromCopy,
    )
    // The data holds exceptions of several categories, some left out: the comparisons compare something.
    const all = await report(rolled, authorized({}), { from: START, to: START + 4 * DAY - 1 })
    expect(all.totals.count).toBeGreaterThan(0)
    expect(all.byCategory.length).toBeGreaterThan(2)
  })

  it('pages through events as the table orders them, newest or oldest first; exceptions from their own table', async () => {
    const filters: EventFilter[] = [
      {},
      { scopes: ['send:exception'] },
      { orgIds: ['7'], scopes: ['send:exception'] },
      { jobIds: ['101'], from: START + DAY, to: START + 3 * DAY },
    ]
    for (const filter of filters) {
      for (const order of ['desc', 'asc'] as const) {
        // The oracle: one query of the whole order, no windows, no copy.
        const { from, to, ...rest } = filter
        const all = await engine.rows<{ id: string }>({
          name: 'test.order',
          sql: `SELECT toString(event_id) AS id FROM default.events
                WHERE ${rest.scopes ? 'scope IN {scopes:Array(String)} AND ' : ''}${rest.orgIds ? 'org_id IN {orgs:Array(UInt64)} AND ' : ''}${rest.jobIds ? 'job_id IN {jobs:Array(UInt64)} AND ' : ''}
                      timestamp >= fromUnixTimestamp64Milli({from:Int64}) AND timestamp <= fromUnixTimestamp64Milli({to:Int64})
                ORDER BY timestamp ${order}, event_id ${order}`,
          params: {
            scopes: rest.scopes ?? [],
            orgs: (rest.orgIds ?? []).map(BigInt),
            jobs: (rest.jobIds ?? []).map(BigInt),
            from: from ?? 0,
            to: to ?? 4_102_444_800_000,
          },
        })
        for (const store of [rolled, raw]) {
          const seen: string[] = []
          let after: EventCursor | undefined
          for (;;) {
            const page = await store.events.page(authorized(filter), {
              first: 97,
              order,
              ...(after ? { after } : {}),
            })
            seen.push(...page.events.map((e) => e.eventId))
            after = page.cursors.at(-1)
            if (!page.hasNextPage || !after) break
          }
          expect(seen, JSON.stringify({ filter, order })).toEqual(all.map((r) => r.id))
        }
      }
    }
  })

  it('expects its sources from the catalog as it is (grains, cells, dimensions, measures, scopes)', () => {
    const measures = ['cnt', 'dur_max', 'dur_min', 'dur_sum', 'first_ts', 'last_ts', 'n']
    const sorted = (list?: readonly string[]) => (list ? [...list].sort() : undefined)
    expect(
      ROLLUPS.map((r) => ({
        grain: r.grain,
        cellMs: r.grainMs,
        dims: sorted(['org_id', ...r.dims]),
        measures: sorted(r.measures),
        onlyScopes: sorted(r.onlyScopes),
      })),
    ).toEqual(
      ROLLUP_FACTS.map((f) => ({
        grain: f.grain,
        cellMs: f.cellMs,
        dims: sorted(f.dims),
        measures,
        onlyScopes: sorted(f.onlyScopes),
      })),
    )
  })

  // After every comparison, in whatever order they ran (so the comparisons compare something).
  // vitest reads a hook's first parameter as fixtures to set up, and wants it destructured: none here.
  // eslint-disable-next-line no-empty-pattern
  afterAll(({}, suite) => {
    // A run of some tests only (-t) reads only some rollups: nothing to say then.
    const tests = suite.tasks.filter((task) => task.type === 'test')
    if (tests.some((task) => task.result?.state !== 'pass')) return
    const reads = (text: string) => statements.filter((s) => s.sql.includes(text)).length
    for (const rollup of ROLLUPS)
      expect(
        statements.filter((s) => grainsRead(s.sql).includes(rollup.grain)).length,
        rollup.name,
      ).toBeGreaterThan(0)
    expect(reads('FROM default.events_exceptions_v2 ')).toBeGreaterThan(0)
    // And the rows no pass has counted, from the raw table beside them.
    expect(
      reads(`AND _block_number > (SELECT max(blk) FROM default.${ROLLUP_TABLE} WHERE grain = 0)`),
    ).toBeGreaterThan(0)
    expect(reads(`_block_number > ${markerSql('default', derived('events_exceptions_v2'))}`)).toBeGreaterThan(
      0,
    )
  })
})

describe('the passes that feed the rollups', { timeout: 120_000 }, () => {
  // Their own blocks, ten days after the seeded ones: the comparisons above see the seed as it
  // was written, and each test here has blocks no pass has counted yet, in any order of tests.
  const LATER = 10 * DAY
  const range = { from: START + LATER - DAY, to: START + LATER + 5 * DAY }
  const laterBlock = (count: number, seed: number) =>
    block(events(count, seed).map((r) => ({ ...r, timestampMs: r.timestampMs + LATER })))
  const total = async (store: Store) =>
    (await store.analytics.activity(authorized(range), range, DAY)).reduce((sum, b) => sum + b.count, 0)
  const marker = async () => {
    const [row] = await engine.rows<{ blk: string; max: string }>({
      name: 'test.marker',
      sql: `SELECT (SELECT max(blk) FROM default.${ROLLUP_TABLE} WHERE grain = 0) AS blk,
                   (SELECT max(max_block_number) FROM system.parts WHERE database = 'default' AND table = 'events' AND active) AS max`,
    })
    return { blk: Number(row?.blk), max: Number(row?.max) }
  }
  const rollupParts = async () => {
    const [row] = await engine.rows<{ n: string }>({
      name: 'test.parts',
      sql: `SELECT count() AS n FROM system.parts WHERE database = 'default' AND table = '${ROLLUP_TABLE}' AND active`,
    })
    return Number(row?.n)
  }

  it('counts every committed block once, in one part with its marker; a second flush finds nothing', async () => {
    await engine.command({ name: 'test.stop_merges', sql: `SYSTEM STOP MERGES default.${ROLLUP_TABLE}` })
    try {
      await rolled.ingest.insert({ body: laterBlock(300, 5) })
      await rolled.ingest.insert({ body: laterBlock(200, 6) })
      const before = await total(raw)
      const parts = await rollupParts()
      await rolled.rollups.flush()
      expect(await rollupParts()).toBe(parts + 1)
      const { blk, max } = await marker()
      expect(blk).toBe(max)
      expect(await total(rolled)).toBe(before)
      // Nothing new: a flush inserts nothing, and reads each table's marker once.
      const first = statements.length
      await rolled.rollups.flush()
      expect(await rollupParts()).toBe(parts + 1)
      const reads = statements.slice(first).map((s) => s.name)
      expect(reads.filter((name) => name === 'rollups.feed_marker')).toHaveLength(DERIVED_TABLES.length)
      expect(reads.filter((name) => name === 'rollups.feed_pass')).toEqual([])
    } finally {
      await engine.command({ name: 'test.start_merges', sql: `SYSTEM START MERGES default.${ROLLUP_TABLE}` })
    }
  })

  it("keeps each person's first save on a job in the job trail, whichever save arrives first", async () => {
    const job = 987_654
    const t0 = START + LATER
    const row = (scope: string, ms: number, user: string, name: string, field = 'NULL', value = 'NULL') =>
      `('${scope}', ${field}, ${value}, 'server', fromUnixTimestamp64Milli(${t0 + ms}), ${user}, ${name}, 1, ${job}, '{"request":{"id":"r${ms}"}}')`
    // As another writer would, straight into the table.
    const insert = (rows: string[]) =>
      engine.command({
        name: 'test.job_saves',
        sql: `INSERT INTO default.events (scope, obj_name, obj_val, source, timestamp, user_id, user_name, org_id, job_id, payload) VALUES ${rows.join(', ')}`,
      })
    const starts = async () =>
      (
        await engine.rows<{ user_id: string | null; ms: string }>({
          name: 'test.job_starts',
          sql: `SELECT user_id, toUnixTimestamp64Milli(timestamp) - ${t0} AS ms FROM default.${JOB_TRAIL.name}
                WHERE job_id = ${job} AND scope NOT IN ('update:job', 'send:working_time') ORDER BY ms`,
        })
      ).map((r) => [r.user_id, Number(r.ms)])
    await insert([
      row('create:shapes', 20_000, '5', "'ann'"),
      row('update:shapes', 40_000, '5', "'ann'"),
      row('create:tags', 30_000, '6', 'NULL'),
      row('update:job', 60_000, '5', "'ann'", "'stage'", "'validation'"),
    ])
    const trailPasses = (since: number) =>
      statements
        .slice(since)
        .filter((st) => st.name === 'rollups.feed_pass' && st.sql.includes(`INTO default.${JOB_TRAIL.name}`))
        .map((st) => st.sql.includes('min((timestamp, scope))'))
    let since = statements.length
    await rolled.rollups.flush()
    // Blocks with saves: the pass looks up the first saves the trail holds.
    expect(trailPasses(since)).toEqual([true])
    since = statements.length
    await insert([row('update:job', 70_000, '5', "'ann'", "'state'", "'in progress'")])
    await rolled.rollups.flush()
    // Without saves, it copies the blocks' rows.
    expect(trailPasses(since)).toEqual([false])
    // An earlier save of user 5 arrives late; user 6's later one and a save naming no user.
    await insert([
      row('create:shapes', 10_000, '5', "'ann'"),
      row('delete:shapes', 50_000, '6', 'NULL'),
      row('import:dataset', 35_000, 'NULL', 'NULL'),
    ])
    await rolled.rollups.flush()
    expect(await starts()).toEqual([
      ['5', 10_000],
      ['5', 20_000],
      ['6', 30_000],
      [null, 35_000],
    ])
    const to = t0 + 90_000
    for (const people of [{}, { userIds: ['5'] }, { userIds: ['6'] }, { userNames: ['ann'] }]) {
      const filter = authorized({ from: t0, to, ...people })
      const flows = await rolled.productivity.jobFlowsOf(filter, [String(job)], to)
      expect(flows.get(String(job)), JSON.stringify(people)).toEqual(
        (await raw.productivity.jobFlowsOf(filter, [String(job)], to)).get(String(job)),
      )
    }
    const all = await rolled.productivity.jobFlowsOf(authorized({ from: t0, to }), [String(job)], to)
    expect(all.get(String(job))?.msIn.annotation).toBe(50_000)
  })

  it('counts a block once when two passes start from the same marker (a retry, another replica)', async () => {
    const other = createStore({ ...loadConfig({ DATA_DIR: dir }).store, rollupPassMs: 0 })
    try {
      await other.migrate()
      await rolled.ingest.insert({ body: laterBlock(80, 7) })
      await Promise.all([rolled.rollups.flush(), other.rollups.flush(), rolled.rollups.flush()])
      expect(await total(rolled)).toBe(await total(raw))
      const { blk, max } = await marker()
      expect(blk).toBe(max)
    } finally {
      await other.close()
    }
  })
})
