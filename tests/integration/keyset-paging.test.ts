import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  EventsDocument,
  ExceptionGroupsDocument,
  ExceptionsDocument,
  type EventFilter,
  type EventsQuery,
  type ExceptionsQuery,
} from '../../src/gql/graphql.js'
import { emptyRecord } from '../../src/ingest/records.js'
import { startTestApp, type TestApp } from '../support/app.js'
import { cvatVectorRow } from '../support/cvat-table.js'
import { as } from '../support/fixtures.js'
import { expectOk, graphql } from '../support/graphql.js'

/**
 * Keyset paging returns every stored row once, whoever wrote it: rows CVAT's Vector writes twice
 * (a retry; their ids come from their content, so both copies share one), copies in one insert,
 * rows of ours, many in the same millisecond. The property pages random filters with random page
 * sizes, in both orders, and compares with one unpaged SQL query.
 */
let t: TestApp
const admin = as('admin')
const HOUR = 3_600_000
// Recent, so that newest-first pages go through the widening windows of events-read.ts.
const T0 = Math.floor((Date.now() - 30 * HOUR) / HOUR) * HOUR
const RANGE = { from: new Date(T0 - HOUR).toISOString(), to: new Date(T0 + 31 * HOUR).toISOString() }
const SCOPES = ['create:task', 'update:task', 'click:element', 'send:exception'] as const

/** `INSERT … FORMAT JSONEachRow` with no column list, as Vector sends it: ids come from content. */
async function vectorInsert(rows: Record<string, unknown>[]): Promise<void> {
  await t.sql.command({
    name: 'test.vector',
    sql: `INSERT INTO default.events FORMAT JSONEachRow ${rows.map((r) => JSON.stringify(r)).join('\n')}`,
  })
}

/** Messages that group apart (numbers would be normalised away). */
const KINDS = ['network error', 'canvas is busy', 'job is locked', 'cannot read properties of undefined']
const exceptionPayload = (message: string) =>
  JSON.stringify({ message, stack: `at load (job-${message.length}.js:1:1)` })

const clock = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace('Z', '')

function serverRow(i: number): Record<string, unknown> {
  const scope = SCOPES[i % SCOPES.length] as string
  return cvatVectorRow({
    scope,
    // Few distinct times: many rows share a millisecond.
    timestamp: clock(T0 + (i % 7) * 4 * HOUR + (i % 3)),
    project_id: i % 5 === 0 ? null : 501 + (i % 2),
    task_id: 10 + (i % 4),
    user_id: 1 + (i % 3),
    obj_val: String(i % 11),
    // Four kinds of exception (i = 3, 7, 11, 15 … are the send:exception rows).
    payload: scope === 'send:exception' ? exceptionPayload(KINDS[Math.floor(i / 4) % 4] as string) : '{}',
  })
}

beforeAll(async () => {
  t = await startTestApp()
  const rows = Array.from({ length: 60 }, (_, i) => serverRow(i))
  await vectorInsert(rows)
  // Vector retries: the same rows again, in another insert (a later ingested_at) …
  await vectorInsert(rows.filter((_, i) => i % 2 === 0))
  // … and copies within one insert (the same ingested_at too).
  await vectorInsert([...rows.slice(0, 9), ...rows.slice(0, 9)])
  // Ours: unique ids, on the same milliseconds.
  await t.app.services.writer.write(
    Array.from({ length: 30 }, (_, i) => ({
      ...emptyRecord(T0 + (i % 7) * 4 * HOUR + (i % 3)),
      scope: SCOPES[i % SCOPES.length] as string,
      source: 'client',
      projectId: i % 5 === 0 ? null : String(501 + (i % 2)),
      userId: String(1 + (i % 3)),
      payload: '{}',
    })),
  )
}, 120_000)
afterAll(async () => {
  await t.stop()
})

interface Row {
  id: string
  ingested: number
  ts: number
}

/** The rows the filter selects, by one unpaged query. */
async function sqlRows(filter: EventFilter): Promise<Row[]> {
  const conditions = [
    'timestamp BETWEEN parseDateTime64BestEffort({from:String}, 3) AND parseDateTime64BestEffort({to:String}, 3)',
  ]
  if (filter.projectIds?.length) conditions.push('project_id IN {projects:Array(UInt64)}')
  if (filter.userIds?.length) conditions.push('user_id IN {users:Array(UInt64)}')
  if (filter.scopes?.length) conditions.push('scope IN {scopes:Array(String)}')
  const rows = await t.sql.rows<{ id: string; ingested: string; ts: string }>({
    name: 'test.unpaged',
    sql: `SELECT toString(event_id) AS id, toUnixTimestamp64Milli(ingested_at) AS ingested,
            toUnixTimestamp64Milli(timestamp) AS ts
          FROM default.events WHERE ${conditions.join(' AND ')}`,
    params: {
      from: RANGE.from,
      to: RANGE.to,
      projects: (filter.projectIds ?? []).map(Number),
      users: (filter.userIds ?? []).map(Number),
      scopes: filter.scopes ?? [],
    },
  })
  return rows.map((r) => ({ id: r.id, ingested: Number(r.ingested), ts: Number(r.ts) }))
}

/** Pages `events` to the end. */
async function pageEvents(filter: EventFilter, first: number, asc: boolean): Promise<Row[]> {
  const rows: Row[] = []
  let after: string | null = null
  for (let pages = 0; pages < 1000; pages++) {
    const { events }: EventsQuery = expectOk(
      await graphql(
        t,
        EventsDocument,
        { filter, first, after, orderBy: asc ? 'TIMESTAMP_ASC' : 'TIMESTAMP_DESC' },
        admin,
      ),
    )
    expect(events.edges.length).toBeLessThanOrEqual(first)
    for (const { node } of events.edges)
      rows.push({ id: node.id, ingested: Date.parse(node.ingestedAt), ts: Date.parse(node.timestamp) })
    if (!events.pageInfo.hasNextPage) return rows
    after = events.pageInfo.endCursor ?? null
  }
  throw new Error('more than 1000 pages')
}

const key = (r: Row) => `${r.id}@${r.ingested}`
const sorted = (rows: Row[]) => rows.map(key).sort()
/** Times in the page order, and the copies of one event by ingest time (ClickHouse orders the ids). */
const inOrder = (rows: Row[], asc: boolean) => {
  const compare = (a: Row, b: Row) => a.ts - b.ts || (a.id === b.id ? a.ingested - b.ingested : 0)
  return rows.every((row, i) => i === 0 || (asc ? 1 : -1) * compare(rows[i - 1] as Row, row) <= 0)
}

describe('keyset paging', () => {
  it('returns each of the rows Vector wrote twice, one per page (issue #24)', async () => {
    const filter = { ...RANGE, projectIds: ['501'], scopes: ['create:task'] }
    const expected = await sqlRows(filter)
    expect(new Set(expected.map((r) => r.id)).size).toBeLessThan(expected.length) // copies share ids
    const paged = await pageEvents(filter, 1, false)
    expect(sorted(paged)).toEqual(sorted(expected))
  })

  it('returns every stored row exactly once, for any filter, page size and order', async () => {
    const filters = fc.record({
      projectIds: fc.subarray(['501', '502']),
      userIds: fc.subarray(['1', '2', '3']),
      scopes: fc.subarray([...SCOPES]),
    })
    await fc.assert(
      fc.asyncProperty(filters, fc.integer({ min: 1, max: 13 }), fc.boolean(), async (chosen, first, asc) => {
        const filter = { ...RANGE, ...chosen }
        const [paged, expected] = await Promise.all([pageEvents(filter, first, asc), sqlRows(filter)])
        expect(paged).toHaveLength(expected.length)
        expect(sorted(paged)).toEqual(sorted(expected))
        expect(inOrder(paged, asc)).toBe(true)
      }),
      { numRuns: 25 },
    )
  }, 600_000)

  it('pages the exceptions (their own table) as the events', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.subarray(['501', '502']),
        fc.integer({ min: 1, max: 5 }),
        async (projectIds, first) => {
          const filter = { ...RANGE, projectIds, scopes: ['send:exception'] }
          const ids: string[] = []
          let after: string | null = null
          for (;;) {
            const { exceptions }: ExceptionsQuery = expectOk(
              await graphql(t, ExceptionsDocument, { filter, first, after }, admin),
            )
            ids.push(...exceptions.edges.map((e) => e.node.id))
            if (!exceptions.pageInfo.hasNextPage) break
            after = exceptions.pageInfo.endCursor ?? null
          }
          expect(ids.sort()).toEqual((await sqlRows(filter)).map((r) => r.id).sort())
        },
      ),
      { numRuns: 8 },
    )
  }, 300_000)

  it('returns a copy inserted after the cursor, and nothing twice, while a client pages', async () => {
    const filter = { ...RANGE, projectIds: ['502'], scopes: ['update:task'] }
    const before = await sqlRows(filter)
    // The newest of these rows as CVAT's `SELECT *` reads it: its 19 columns, to write again.
    const [newest] = await t.sql.rows<Record<string, unknown>>({
      name: 'test.newest',
      sql: `SELECT * FROM default.events WHERE project_id = 502 AND scope = 'update:task'
            ORDER BY timestamp DESC LIMIT 1`,
    })
    const seen: Row[] = []
    let after: string | null = null
    for (let page = 0; ; page++) {
      const { events }: EventsQuery = expectOk(
        await graphql(t, EventsDocument, { filter, first: 2, after, orderBy: 'TIMESTAMP_ASC' }, admin),
      )
      for (const { node } of events.edges)
        seen.push({ id: node.id, ingested: Date.parse(node.ingestedAt), ts: Date.parse(node.timestamp) })
      // Another copy of it, not reached yet: a later page returns it.
      if (page === 0)
        await t.sql.command({
          name: 'test.vector_again',
          sql: `INSERT INTO default.events SETTINGS date_time_input_format = 'best_effort'
                FORMAT JSONEachRow ${JSON.stringify(newest)}`,
        })
      if (!events.pageInfo.hasNextPage) break
      after = events.pageInfo.endCursor ?? null
    }
    const now = await sqlRows(filter)
    expect(now).toHaveLength(before.length + 1)
    expect(sorted(seen)).toEqual(sorted(now))
  })

  it('lists every exception group once, in one order, while exceptions arrive between pages', async () => {
    const filter = { ...RANGE, scopes: ['send:exception'] }
    const list = async (first: number, after: string | null) =>
      expectOk(await graphql(t, ExceptionGroupsDocument, { filter, first, after, orderBy: 'COUNT' }, admin))
        .exceptionGroups
    const all = (await list(100, null)).edges.map((e) => e.node)
    expect(all.length).toBeGreaterThan(2)
    const last = all.at(-1) as (typeof all)[number]
    const groups: string[] = []
    let after: string | null = null
    for (;;) {
      const page = await list(1, after)
      groups.push(...page.edges.map((e) => e.node.id))
      // The last-ranked group gets many more: counted now, it would move ahead of the cursor.
      await vectorInsert(
        Array.from({ length: 40 }, () =>
          cvatVectorRow({
            scope: 'send:exception',
            timestamp: clock(T0),
            payload: exceptionPayload(last.message),
          }),
        ),
      )
      if (!page.pageInfo.hasNextPage) break
      after = page.pageInfo.endCursor ?? null
    }
    expect(groups).toEqual(all.map((g) => g.id))
    // A new listing sees the arrivals (another page size: the first page's answer is cached 5 s).
    expect((await list(2, null)).edges[0]?.node.id).toBe(last.id)
  })
})
