import { mkdir, rm } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tempDir } from '../support/app.js'
import { startClickHouseShim, type ClickHouseShim } from '../support/clickhouse-shim.js'
import { as, bearer, seedAccounts, TOKENS } from '../support/fixtures.js'
import { startRoundRobinProxy, type RoundRobinProxy } from '../support/round-robin-proxy.js'
import { startService, type ServiceProcess } from '../support/service-process.js'

/**
 * Two replicas of the service, each its own process with its own data folder (spool), on one
 * ClickHouse endpoint, sharing the accounts file and EXPORT_DIR, behind a round-robin load
 * balancer: every request of a flow lands on the other replica than the one before.
 */
let dir: string
let shim: ClickHouseShim
let replicas: ServiceProcess[] = []
let proxy: RoundRobinProxy

const T0 = Date.UTC(2024, 6, 1, 9)
const BATCHES = 6
const PER_BATCH = 50
const SERVER_EVENTS = 20

beforeAll(async () => {
  dir = await tempDir('aa-replicas-')
  shim = await startClickHouseShim(path.join(dir, 'clickhouse'))
  const accountsFile = path.join(dir, 'accounts.json')
  await seedAccounts(accountsFile)
  const exportDir = path.join(dir, 'exports')
  await mkdir(exportDir)
  const env = (name: string) => ({
    DATA_DIR: path.join(dir, name),
    CLICKHOUSE_URL: shim.url,
    ACCOUNTS_FILE: accountsFile,
    EXPORT_DIR: exportDir,
    RESPONSE_CACHE_TTL_MS: '0',
    LOG_LEVEL: 'warn',
  })
  // Started together, as a deployment starts its replicas: both migrate the same database.
  replicas = await Promise.all([startService(env('a')), startService(env('b'))])
  await Promise.all(replicas.map((r) => r.whenReady()))
  proxy = await startRoundRobinProxy(replicas.map((r) => r.url))
}, 180_000)

afterAll(async () => {
  await proxy?.close()
  await Promise.all(replicas.map((r) => r.stop()))
  await shim?.close()
  await rm(dir, { recursive: true, force: true })
})

const send = (method: string, url: string, headers: Record<string, string>, body?: unknown) =>
  fetch(`${proxy.url}${url}`, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })

const graphql = async (query: string, headers: Record<string, string>) => {
  const res = await send('POST', '/graphql', headers, { query })
  expect(res.status).toBe(200)
  return (await res.json()) as { data: Record<string, unknown> }
}

/** Polls `url` through the proxy until it answers something else than 202. */
async function until202Ends(url: string, headers: Record<string, string>): Promise<Response> {
  const deadline = Date.now() + 60_000
  for (;;) {
    const res = await send('GET', url, headers)
    if (res.status !== 202 || Date.now() > deadline) return res
    await res.body?.cancel()
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** What every test here reads: client batches and server events, each sent through the proxy. */
async function ingestThroughBothReplicas(): Promise<void> {
  for (let b = 0; b < BATCHES; b++) {
    const sentAt = T0 + (b + 1) * 60_000
    const events = Array.from({ length: PER_BATCH }, (_, i) => ({
      scope: 'change:frame',
      timestamp: new Date(sentAt - 60_000 + i * 1000).toISOString(),
      job_id: 101,
      task_id: 11,
      project_id: 1,
      duration: 1000,
      count: 1,
    }))
    // Client times are corrected for the client's clock: these events land at about now.
    const res = await send('POST', '/api/events', as('walt', 'acme'), {
      events,
      timestamp: new Date(sentAt).toISOString(),
    })
    expect(res.status).toBe(201)
  }
  const server = Array.from({ length: SERVER_EVENTS }, (_, i) => ({
    scope: 'update:job',
    timestamp: new Date(T0 + i * 1000).toISOString(),
    job_id: 101,
    org_id: 7,
    user_id: 10,
  }))
  expect(
    (await send('POST', '/api/events/server', { authorization: bearer(TOKENS.ingest) }, server)).status,
  ).toBe(201)
}

describe('two replicas behind a round-robin load balancer', () => {
  // Through the proxy before any test: each test reads these, whatever order they run in.
  beforeAll(ingestThroughBothReplicas, 120_000)

  it('stores what either replica ingests and answers the same from both', async () => {
    const range = `{ from: "${new Date(T0 - 3_600_000).toISOString()}", to: "${new Date(Date.now() + 3_600_000).toISOString()}" }`
    const query = `{ scopeDurations(filter: ${range}) { scope source count } }`
    const answers = [await graphql(query, as('olivia', 'acme')), await graphql(query, as('olivia', 'acme'))]
    expect(answers[1]).toEqual(answers[0])
    const counts = Object.fromEntries(
      (answers[0]?.data.scopeDurations as { scope: string; count: number }[]).map((r) => [r.scope, r.count]),
    )
    expect(counts).toMatchObject({ 'change:frame': BATCHES * PER_BATCH, 'update:job': SERVER_EVENTS })
    expect([...proxy.served.values()].every((n) => n > 0)).toBe(true)
  })

  it("runs CVAT's export flow whichever replica each request lands on", async () => {
    const before = new Map(proxy.served)
    const start = await send('GET', '/api/events?org_id=7', as('admin'))
    expect(start.status).toBe(202)
    const { query_id: queryId } = (await start.json()) as { query_id: string }
    const done = await until202Ends(`/api/events?org_id=7&query_id=${queryId}`, as('admin'))
    expect(done.status).toBe(201)
    const download = await send(
      'GET',
      `/api/events?org_id=7&query_id=${queryId}&action=download`,
      as('admin'),
    )
    expect(download.status).toBe(200)
    const lines = (await download.text()).trim().split('\r\n')
    const [row] = await shim.query<{ n: string }>(
      "SELECT count() AS n FROM default.events WHERE org_id = 7 AND scope != 'send:exception'",
    )
    expect(lines.length - 1).toBe(Number(row?.n))
    expect(lines.length - 1).toBeGreaterThanOrEqual(BATCHES * PER_BATCH + SERVER_EVENTS)
    // Both replicas answered part of the flow; one of them ran the export.
    for (const [backend, n] of proxy.served) expect(n, backend).toBeGreaterThan(before.get(backend) ?? 0)
    const [record] = await shim.query<{ document: string }>(
      `SELECT document FROM default.export_records FINAL WHERE id = '${queryId}'`,
    )
    const runner = (JSON.parse(record?.document ?? '{}') as { runner?: { pid: number } }).runner
    expect(replicas.map((r) => r.child.pid)).toContain(runner?.pid)
  })

  it("runs CVAT's newer flow (start, request status, result URL) across replicas, and 404s another user's export on both", async () => {
    const start = await send('POST', '/api/events/export?format=jsonl', as('olivia', 'acme'))
    expect(start.status).toBe(202)
    const { rq_id: rqId } = (await start.json()) as { rq_id: string }
    let status: { status: string; result_url: string | null } = { status: 'queued', result_url: null }
    const deadline = Date.now() + 60_000
    while (status.status !== 'finished' && status.status !== 'failed' && Date.now() < deadline) {
      const res = await send('GET', `/api/requests/${rqId}`, as('olivia', 'acme'))
      expect(res.status).toBe(200)
      status = (await res.json()) as typeof status
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    expect(status.status).toBe('finished')
    const resultPath = new URL(status.result_url ?? '').pathname + new URL(status.result_url ?? '').search
    for (let i = 0; i < 2; i++) {
      const file = await send('GET', resultPath, as('olivia', 'acme'))
      expect(file.status).toBe(200)
      expect((await file.text()).trim().split('\n').length).toBeGreaterThanOrEqual(BATCHES * PER_BATCH)
      const other = await send('GET', `/api/requests/${rqId}`, as('walt', 'acme'))
      expect(other.status).toBe(404)
    }
  })
})
