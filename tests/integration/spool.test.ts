import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { basic, markedBatch } from '../support/fixtures.js'
import { startServerTestApp, type ServerTestApp } from '../support/server-app.js'
import { emptyRecord } from '../../src/ingest/records.js'
import { serializeEvent } from '../../src/store/index.js'

let t: ServerTestApp

beforeAll(async () => {
  t = await startServerTestApp({ SPOOL_RETRY_MS: '100', QUERY_TIMEOUT_MS: '5000' })
})
afterAll(async () => {
  await t.stop()
})

const send = (marker: string, n: number) =>
  t.request('POST', '/api/events', {
    headers: { authorization: basic('nora') },
    body: markedBatch(marker, n),
  })

async function countByRequest(): Promise<Map<string, number>> {
  const rows = await t.clickhouse.query<{ request_id: string; n: string }>(
    `SELECT request_id, count() AS n FROM default.events WHERE obj_val LIKE 'spool-%' GROUP BY request_id`,
  )
  return new Map(rows.map((r) => [r.request_id, Number(r.n)]))
}

describe('spool (CLICKHOUSE_URL unreachable)', () => {
  it('answers 202 while the server is away and replays every batch once when it returns', async () => {
    const before = await send('spool-before', 2)
    expect(before.status).toBe(201)

    await t.clickhouse.stop()
    const sequential = [await send('spool-a', 3), await send('spool-b', 1)]
    const concurrent = await Promise.all([send('spool-c', 2), send('spool-d', 5), send('spool-e', 1)])
    const spooled = [...sequential, ...concurrent]
    expect(spooled.map((r) => r.status)).toEqual([202, 202, 202, 202, 202])
    expect(((await spooled[0]?.json()) as { events: unknown[] }).events).toHaveLength(3)
    expect(t.app.services.writer.spoolBacklog).toBeGreaterThan(0)
    const ready = await t.request('GET', '/ready')
    expect(ready.status).toBe(503)
    expect(await ready.json()).toMatchObject({ status: 'unavailable' })

    // Still away: a retry (the one a tick would make, made now and awaited) must keep the data.
    await t.app.services.writer.retrySpool()
    expect(t.app.services.writer.spoolBacklog).toBeGreaterThan(0)

    await t.clickhouse.start()
    await expect.poll(() => t.app.services.writer.spoolBacklog, { timeout: 15_000 }).toBe(0)

    const counts = await countByRequest()
    const expected = [3, 1, 2, 5, 1]
    spooled.forEach((res, i) =>
      expect(counts.get(res.headers.get('x-request-id') as string)).toBe(expected[i]),
    )
    expect(counts.get(before.headers.get('x-request-id') as string)).toBe(2)

    const after = await send('spool-after', 1)
    expect(after.status).toBe(201)
  })

  it('does not duplicate a block inserted twice with the same token (a replay after an unclear failure)', async () => {
    const store = t.app.services.store
    const row = serializeEvent({
      ...emptyRecord(),
      scope: 'draw:object',
      objVal: 'spool-dedup',
      timestampMs: 1716393600000,
    })
    await store.ingest.insert({ body: row, dedupToken: 'token-1' })
    await store.ingest.insert({ body: row, dedupToken: 'token-1' })
    const rows = await t.clickhouse.query<{ n: string }>(
      `SELECT count() AS n FROM default.events WHERE obj_val = 'spool-dedup'`,
    )
    expect(Number(rows[0]?.n)).toBe(1)
  })
})
