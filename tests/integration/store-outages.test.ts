import { describe, expect, it } from 'vitest'
import { EventsDocument } from '../../src/gql/graphql.js'
import { cvatEventsTableDdl } from '../support/cvat-table.js'
import { captureLog } from '../support/log-capture.js'
import type { OutageKind } from '../support/clickhouse-shim.js'
import { basic, markedBatch } from '../support/fixtures.js'
import { codeOf, graphql } from '../support/graphql.js'
import { startServerTestApp, type ServerTestApp } from '../support/server-app.js'

// The service and a ClickHouse server (a chDB-backed HTTP endpoint) that refuses connections,
// hangs past the timeout, or answers 5xx on demand.
const FAST = { SPOOL_RETRY_MS: '100', QUERY_TIMEOUT_MS: '1000', STORE_RETRY_MAX_MS: '400' }
const nora = { authorization: basic('nora') }
const admin = { authorization: basic('admin') }
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

const send = (t: ServerTestApp, marker: string, n: number) =>
  t.request('POST', '/api/events', { headers: nora, body: markedBatch(marker, n) })

interface MarkerRow {
  obj_val: string
  n: string
  ids: string
  first: string
}

/** Per batch marker: rows, distinct positions in the batch, and when the first row was stored. */
async function stored(t: ServerTestApp, prefix: string): Promise<Map<string, MarkerRow>> {
  const rows = await t.clickhouse.query<MarkerRow>(
    `SELECT obj_val, count() AS n, uniqExact(obj_id) AS ids, toString(min(ingested_at)) AS first
     FROM default.events WHERE startsWith(obj_val, '${prefix}') GROUP BY obj_val`,
  )
  return new Map(rows.map((r) => [r.obj_val, r]))
}

async function readyBody(t: ServerTestApp): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await t.request('GET', '/ready')
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}

const causes: Record<OutageKind, RegExp> = {
  refuse: /^ClickHouse is unreachable: .*ECONNREFUSED/,
  hang: /^query 'migrate\.version' exceeded its 1000 ms timeout$/,
  fail: /^ClickHouse is busy \(TOO_MANY_SIMULTANEOUS_QUERIES\)/,
}

describe('starting while ClickHouse is away', () => {
  it.each(['refuse', 'hang', 'fail'] as const)(
    'serves when the server %ss at start, spools ingest, refuses reads with Retry-After, and catches up once it is back',
    async (kind) => {
      const { log, lines } = captureLog('info')
      const t = await startServerTestApp(FAST, { down: kind, log })
      try {
        expect((await t.request('GET', '/health')).status).toBe(200)
        await expect
          .poll(async () => (await readyBody(t)).body.cause, { timeout: 10_000 })
          .toMatch(causes[kind])
        const ready = await readyBody(t)
        expect(ready.status).toBe(503)
        expect(ready.body).toMatchObject({ status: 'unavailable', store: 'server' })

        const accepted = await Promise.all([send(t, `start-${kind}-a`, 3), send(t, `start-${kind}-b`, 2)])
        expect(accepted.map((r) => r.status)).toEqual([202, 202])

        const read = await graphql(t, EventsDocument, { first: 10 }, admin)
        expect(read.status).toBe(503)
        expect(codeOf(read)).toBe('STORE_UNAVAILABLE')
        expect(Number(read.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
        const exportStart = await t.request('GET', '/api/events?org_id=7', { headers: admin })
        expect(exportStart.status).toBe(503)
        expect(exportStart.headers.get('retry-after')).toMatch(/^\d+$/)
        expect(await exportStart.json()).toMatchObject({ code: 'STORE_UNAVAILABLE' })

        await t.clickhouse.restore()
        await expect.poll(async () => (await readyBody(t)).status, { timeout: 15_000 }).toBe(200)
        await expect.poll(() => t.app.services.writer.spoolBacklog, { timeout: 15_000 }).toBe(0)
        const rows = await stored(t, `start-${kind}-`)
        expect([...rows.values()].map((r) => [r.obj_val, Number(r.n), Number(r.ids)]).sort()).toEqual([
          [`start-${kind}-a`, 3, 3],
          [`start-${kind}-b`, 2, 2],
        ])
        expect((await graphql(t, EventsDocument, { first: 10 }, admin)).status).toBe(200)

        // One line per failed attempt, numbered, each with its wait (doubling, capped); then one that it is ready.
        const attempts = lines.filter((l) => l.message.startsWith('store not ready'))
        expect(attempts.length).toBeGreaterThanOrEqual(1)
        attempts.forEach((line, i) =>
          expect(line.message).toMatch(
            new RegExp(`^store not ready \\(attempt ${i + 1}\\): .+; next attempt in [\\d.]+ s$`),
          ),
        )
        const waits = attempts.map((l) => Number(/in ([\d.]+) s$/.exec(l.message)?.[1]))
        expect(waits).toEqual([...waits].sort((a, b) => a - b))
        expect(Math.max(...waits)).toBeLessThanOrEqual(0.4)
        expect(lines.filter((l) => l.message === 'store ready')).toHaveLength(1)
      } finally {
        await t.stop()
      }
    },
    40_000,
  )
})

describe('ClickHouse lost and back, repeatedly, while clients send', () => {
  it('stores every acknowledged event exactly once, and each client’s batches in order', async () => {
    const t = await startServerTestApp(FAST)
    try {
      const acknowledged = new Map<string, number>()
      const order = new Map<number, string[]>()
      const refused: string[] = []
      let spooledAcks = 0
      let sending = true
      const client = async (c: number) => {
        order.set(c, [])
        for (let seq = 0; sending; seq += 1) {
          const marker = `out-${c}-${String(seq).padStart(4, '0')}`
          const n = 1 + ((seq * 7 + c) % 5)
          const res = await send(t, marker, n)
          if (res.status === 202) spooledAcks += 1
          if (res.status === 201 || res.status === 202) {
            acknowledged.set(marker, n)
            order.get(c)?.push(marker)
          } else refused.push(`${marker}: ${res.status} ${await res.text()}`)
          await sleep(15)
        }
      }
      const clients = [0, 1, 2].map(client)

      const outages: [OutageKind, 'clickhouse' | 'proxy' | undefined, number][] = [
        ['refuse', undefined, 700],
        ['hang', undefined, 2_500],
        ['fail', 'clickhouse', 700],
        ['fail', 'proxy', 700],
        ['refuse', undefined, 500],
        ['hang', undefined, 1_200],
        ['fail', 'proxy', 500],
      ]
      let sawUnready = false
      for (const [kind, as, ms] of outages) {
        await sleep(400)
        await t.clickhouse.outage(kind, as ? { as } : {})
        await sleep(ms)
        if (kind === 'refuse' && !sawUnready) {
          const ready = await readyBody(t)
          expect(ready.status).toBe(503)
          expect(ready.body.cause).toMatch(/does not answer/)
          sawUnready = true
        }
        await t.clickhouse.restore()
      }
      await sleep(400)
      sending = false
      await Promise.all(clients)

      expect(refused).toEqual([])
      await expect.poll(() => t.app.services.writer.spoolBacklog, { timeout: 30_000 }).toBe(0)
      const rows = await stored(t, 'out-')
      expect(acknowledged.size).toBeGreaterThan(50)
      const wrong = [...acknowledged].filter(([marker, n]) => {
        const row = rows.get(marker)
        return !row || Number(row.n) !== n || Number(row.ids) !== n
      })
      expect(wrong).toEqual([])
      expect(rows.size).toBe(acknowledged.size)
      for (const markers of order.values()) {
        const times = markers.map((m) => rows.get(m)?.first ?? '')
        expect(times).toEqual([...times].sort())
      }
      // The outages did happen: many batches went through the spool.
      expect(spooledAcks).toBeGreaterThan(10)
    } finally {
      await t.stop()
    }
  }, 90_000)

  it('migrates again when the server comes back without the schema, and replays onto it', async () => {
    const t = await startServerTestApp(FAST)
    try {
      expect((await send(t, 'schema-before', 1)).status).toBe(201)
      await t.clickhouse.query('DROP TABLE default.events SYNC')
      const during = await send(t, 'schema-during', 2)
      expect(during.status).toBe(202)
      await expect.poll(() => t.app.services.writer.spoolBacklog, { timeout: 15_000 }).toBe(0)
      expect((await readyBody(t)).status).toBe(200)
      const rows = await stored(t, 'schema-')
      expect([...rows.keys()]).toEqual(['schema-during'])
      expect(Number(rows.get('schema-during')?.n)).toBe(2)
    } finally {
      await t.stop()
    }
  }, 40_000)
})

describe("CVAT's test fixture under a running service (TRUNCATE DATABASE, then CVAT's own table)", () => {
  it('migrates again, answers 503 (never 500) meanwhile, and stores what it acknowledged', async () => {
    const t = await startServerTestApp(FAST)
    try {
      await t.clickhouse.query('TRUNCATE DATABASE default')
      await t.clickhouse.query(cvatEventsTableDdl('default.events'))
      const statuses: number[] = [(await send(t, 'fixture-during', 2)).status]
      await expect
        .poll(
          async () => {
            const read = await graphql(t, EventsDocument, { first: 10 }, admin)
            statuses.push(read.status)
            return read.data?.events.edges.length
          },
          { timeout: 20_000, interval: 100 },
        )
        .toBe(2)
      expect(statuses.filter((s) => ![200, 201, 202, 503].includes(s))).toEqual([])
      expect(Number((await stored(t, 'fixture-')).get('fixture-during')?.n)).toBe(2)
    } finally {
      await t.stop()
    }
  }, 60_000)
})

describe('SPOOL_MAX_BYTES', () => {
  it('answers 503 INSUFFICIENT_STORAGE with Retry-After, acknowledging nothing it cannot keep', async () => {
    const t = await startServerTestApp({ ...FAST, SPOOL_MAX_BYTES: '3000' })
    try {
      await t.clickhouse.outage('refuse')
      const statuses: number[] = []
      let refusal: Response | undefined
      for (let i = 0; i < 40 && !refusal; i += 1) {
        const res = await send(t, `limit-${String(i).padStart(2, '0')}`, 2)
        statuses.push(res.status)
        if (res.status !== 202) refusal = res
      }
      expect(statuses.slice(0, -1).every((s) => s === 202)).toBe(true)
      expect(refusal?.status).toBe(503)
      expect(refusal?.headers.get('retry-after')).toBe('30')
      expect(await refusal?.json()).toEqual({
        code: 'INSUFFICIENT_STORAGE',
        message:
          'the event store is unavailable and the spool is full (SPOOL_MAX_BYTES): nothing of this request was kept; send it again later',
      })
      expect(t.app.services.writer.spoolBytes).toBeLessThanOrEqual(3000)

      await t.clickhouse.restore()
      await expect.poll(() => t.app.services.writer.spoolBacklog, { timeout: 15_000 }).toBe(0)
      const rows = await stored(t, 'limit-')
      expect(rows.size).toBe(statuses.length - 1)
      expect([...rows.values()].every((r) => Number(r.n) === 2)).toBe(true)
      expect(rows.has(`limit-${String(statuses.length - 1).padStart(2, '0')}`)).toBe(false)
      expect((await send(t, 'limit-after', 1)).status).toBe(201)
    } finally {
      await t.stop()
    }
  }, 40_000)
})
