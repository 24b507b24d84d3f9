import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createHttpSink,
  historyWindow,
  prepareDemoAccounts,
  runSimulation,
  simulate,
  type RunSummary,
  type Simulation,
} from '../../src/demo/index.js'
import type { DemoSend } from '../../src/demo/sends.js'
import { startTestApp, type TestApp } from '../support/app.js'

// The demo as a CVAT deployment sends: client batches as cvat-core posts them to POST /api/events,
// server events as CVAT's server posts them to its logger listener (HttpTransport's bytes).

let t: TestApp
let simulation: Simulation
let run: RunSummary
const sentRows: Record<string, unknown>[] = []

beforeAll(async () => {
  t = await startTestApp({ CVAT_LOGGER_PORT: '0' })
  const { cvatLoggerPort } = await t.app.start()
  simulation = simulate({
    seed: 'logger-demo',
    users: 3,
    window: historyWindow(Date.UTC(2026, 10, 26, 18), 1),
  })
  const accounts = await prepareDemoAccounts(t.config.accountsFile, simulation.world, 'demo-logger-password')
  await t.app.services.directory.refresh(true)
  const sink = createHttpSink({
    url: 'http://test.local',
    password: 'demo-logger-password',
    ingestToken: accounts.ingestToken,
    loggerUrl: `http://127.0.0.1:${cvatLoggerPort}/`,
    fetch: (request) => (new URL(request.url).host === 'test.local' ? t.app.fetch(request) : fetch(request)),
  })
  run = await runSimulation(simulation, {
    sink: {
      send: (send: DemoSend) => {
        if (send.kind === 'server') sentRows.push(...send.rows)
        return sink.send(send)
      },
      drain: () => sink.drain(),
    },
  })
}, 120_000)
afterAll(async () => {
  await t.stop()
})

describe('demo through the CVAT-logger listener', () => {
  it('stores every event, quarantines none', async () => {
    expect(run.events).toBe(simulation.stats.storedRows)
    const [row] = await t.sql.rows<{ n: string }>({
      name: 'test.demo_logger.count',
      sql: 'SELECT count() AS n FROM default.events WHERE user_id > 1000',
    })
    expect(Number(row?.n)).toBe(simulation.stats.storedRows)
    expect(await t.app.services.store.quarantine.reasons()).toEqual([])
  })

  it("stores CVAT's server events verbatim: payload text, request id, time", async () => {
    expect(sentRows.length).toBeGreaterThan(5)
    const stored = await t.events("source = 'server' AND scope != 'send:working_time'")
    const key = (e: Record<string, unknown>) =>
      [
        e.scope,
        e.obj_id ?? '',
        e.obj_name ?? '',
        e.obj_val ?? '',
        e.job_id ?? '',
        e.task_id ?? '',
        e.payload,
      ].join('|')
    const byKey = new Map(stored.map((e) => [key(e as unknown as Record<string, unknown>), e]))
    expect(byKey.size).toBe(sentRows.length)
    for (const sent of sentRows) {
      const match = byKey.get(key(sent))
      expect(match, String(sent.payload)).toBeDefined()
      expect(match?.request_id).toBe(
        (JSON.parse(sent.payload as string) as { request: { id: string } }).request.id,
      )
      expect(Date.parse(`${match?.timestamp}`)).toBe(Math.round(Number(sent.timestamp) * 1000))
    }
  })
})
