import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  cvatServerEvent,
  drfJson,
  HTTP_TRANSPORT_HEADERS,
  httpTransportBody,
} from '../../src/demo/cvat-wire.js'
import { startServerTestApp, type ServerTestApp } from '../support/server-app.js'

// CVAT's transport re-sends a batch on any answer but 200 (logstash_async/worker.py requeues it):
// while ClickHouse is away, the listener spools what it would store and answers 200; a batch with
// an event for the quarantine is answered 503 instead (nothing of it written), and stored once
// when CVAT sends it again.

let t: ServerTestApp
let loggerUrl: string

beforeAll(async () => {
  t = await startServerTestApp({ SPOOL_RETRY_MS: '100', QUERY_TIMEOUT_MS: '5000', CVAT_LOGGER_PORT: '0' })
  loggerUrl = `http://127.0.0.1:${(await t.app.start()).cvatLoggerPort}/`
})
afterAll(async () => {
  await t.stop()
})

const event = (marker: string, fields: Record<string, string | number | null> = {}) =>
  cvatServerEvent('update:job', Date.UTC(2024, 4, 22, 16), drfJson({ request: { id: `outage-${marker}` } }), {
    obj_name: 'stage',
    obj_val: marker,
    job_id: 31,
    ...fields,
  })
const post = (events: Record<string, unknown>[]) =>
  fetch(loggerUrl, { method: 'POST', headers: HTTP_TRANSPORT_HEADERS, body: httpTransportBody(events) })
const stored = async (marker: string) =>
  (
    await t.clickhouse.query<{ n: string }>(
      `SELECT count() AS n FROM default.events WHERE request_id = 'outage-${marker}'`,
    )
  ).map((r) => Number(r.n))[0]

describe('the CVAT-logger listener while ClickHouse is away', () => {
  it('spools a batch it can store and answers 200; answers 503 to one that needs the quarantine, then takes it once', async () => {
    await t.clickhouse.stop()
    const valid = await post([event('a'), event('a')])
    expect(valid.status).toBe(200)
    expect(t.app.services.writer.spoolBacklog).toBeGreaterThan(0)

    const mixed = [event('b'), event('b', { obj_id: 'not an id' })]
    const refused = await post(mixed)
    expect(refused.status).toBe(503)
    expect(((await refused.json()) as { code: string }).code).toBe('STORE_UNAVAILABLE')

    await t.clickhouse.start()
    await expect.poll(() => t.app.services.writer.spoolBacklog, { timeout: 15_000 }).toBe(0)
    const again = await post(mixed)
    expect(again.status).toBe(200)
    expect(await again.json()).toEqual({ stored: 1, quarantined: 1 })

    expect(await stored('a')).toBe(2)
    expect(await stored('b')).toBe(1)
    const quarantine = await t.app.services.store.quarantine.reasons()
    expect(quarantine).toEqual([{ reason: 'invalid_obj_id', count: 1, lastMs: expect.any(Number) as number }])
  })
})
