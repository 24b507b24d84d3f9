/**
 * Ingest throughput: events/s through `POST /api/events` (real HTTP, clients in a separate
 * process) for batches of 100 and 1000 events at 1 and 8 concurrent clients, beside the engine's
 * own `INSERT … SELECT` rate on the same table in the same run, and the server's peak memory.
 *
 *   npm run bench:ingest [-- --events 400000]
 */
import { fork } from 'node:child_process'
import os from 'node:os'
import { parseArgs } from 'node:util'
import { basic } from '../tests/support/fixtures.js'
import { startTestApp } from '../tests/support/app.js'
import { MemorySampler, formatRate } from './support.js'
import { emptyRecord } from '../src/ingest/records.js'
import { serializeEvent } from '../src/store/index.js'

const { values } = parseArgs({ options: { events: { type: 'string', default: '400000' } } })
const EVENTS_PER_SCENARIO = Number(values.events)

// The service as the tests build it: a fresh data directory, the test accounts, quiet logs.
const service = await startTestApp()
const { app } = service
const { port } = await app.start()
const memory = new MemorySampler()

interface ClientResult {
  events: number
  seconds: number
  failures: number
}

/** Runs `concurrency` client loops in a child process, so client work does not share our core. */
function runClients(
  batchSize: number,
  concurrency: number,
  total: number,
  minimal = false,
): Promise<ClientResult> {
  return new Promise((resolve, reject) => {
    const child = fork(new URL('./ingest-client.ts', import.meta.url).pathname, [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env },
    })
    child.once('message', (message) => {
      resolve(message as ClientResult)
      child.kill()
    })
    child.once('error', reject)
    child.send({
      url: `http://127.0.0.1:${port}/api/events`,
      authorization: basic('walt'),
      org: 'acme',
      batchSize,
      concurrency,
      total,
      minimal,
    })
  })
}

const rows: string[] = []
console.log(
  `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`,
)
console.log(`events per scenario: ${EVENTS_PER_SCENARIO}\n`)

// Warm-up: JIT, connections, first parts.
await runClients(100, 2, 20_000)

// CVAT's answer (the batch echoed back) for every shape; then the minimal answer for 8 clients.
const scenarios = [
  ...[100, 1000].flatMap((batchSize) =>
    [1, 8].map((concurrency) => ({ batchSize, concurrency, minimal: false })),
  ),
  { batchSize: 100, concurrency: 8, minimal: true },
  { batchSize: 1000, concurrency: 8, minimal: true },
]
for (const { batchSize, concurrency, minimal } of scenarios) {
  memory.reset()
  const cpuBefore = process.cpuUsage()
  const result = await runClients(batchSize, concurrency, EVENTS_PER_SCENARIO, minimal)
  const cpu = process.cpuUsage(cpuBefore)
  const rate = result.events / result.seconds
  const cpuPerEvent = ((cpu.user + cpu.system) / result.events).toFixed(1)
  const answer = minimal ? 'minimal' : 'CVAT echo'
  console.log(
    `HTTP batch=${batchSize} clients=${concurrency} answer=${answer}: ${formatRate(rate)} events/s ` +
      `(${result.events} in ${result.seconds.toFixed(2)} s, ${result.failures} failed), server CPU ${cpuPerEvent} µs/event, peak RSS ${memory.peakMiB()} MiB`,
  )
  rows.push(
    `| POST /api/events (${answer}) | ${batchSize} | ${concurrency} | ${formatRate(rate)} | ${cpuPerEvent} | ${memory.peakMiB()} |`,
  )
}

// The store's insert path without HTTP: serialised blocks of 8000 rows (what group commit makes of
// 8 clients × 1000 events), one after another.
const engine = service.sql
const sample = await engine.rows<Record<string, unknown>>({
  name: 'bench.sample',
  sql: 'SELECT * FROM default.events LIMIT 8000',
})
const block = sample
  .map((r) =>
    serializeEvent({
      ...emptyRecord(),
      scope: String(r.scope),
      source: String(r.source),
      objVal: r.obj_val as string | null,
      timestampMs: Date.parse(String(r.timestamp)),
      count: r.count as number | null,
      duration: Number(r.duration),
      jobId: r.job_id as string | null,
      taskId: r.task_id as string | null,
      projectId: r.project_id as string | null,
      userId: r.user_id as string | null,
      userName: r.user_name as string | null,
      userEmail: r.user_email as string | null,
      orgId: r.org_id as string | null,
      orgSlug: r.org_slug as string | null,
      payload: r.payload as string | null,
      remoteAddr: r.remote_addr as string | null,
    }),
  )
  .join('\n')
memory.reset()
const blockCpu = process.cpuUsage()
const blockStart = performance.now()
const blocks = Math.ceil(EVENTS_PER_SCENARIO / 8000)
for (let i = 0; i < blocks; i++)
  await app.services.store.ingest.insert({ body: block, dedupToken: `bench-${i}-${Date.now()}` })
const blockRate = (blocks * sample.length) / ((performance.now() - blockStart) / 1000)
const blockCpuUsed = process.cpuUsage(blockCpu)
const blockCpuPerRow = ((blockCpuUsed.user + blockCpuUsed.system) / (blocks * sample.length)).toFixed(1)
rows.push(
  `| store insert, 8000-row TSV blocks | 8000 | 1 | ${formatRate(blockRate)} | ${blockCpuPerRow} | ${memory.peakMiB()} |`,
)
console.log(`store insert of 8000-row blocks: ${formatRate(blockRate)} rows/s, ${blockCpuPerRow} µs CPU/row`)

// The engine's own rate on the same table: copy rows within it, no JavaScript involved.
const [countRow] = await engine.rows<{ n: string }>({
  name: 'bench.count',
  sql: 'SELECT count() AS n FROM default.events',
})
const copyRows = Math.min(Number(countRow?.n), 1_000_000)
memory.reset()
const started = performance.now()
await engine.command({
  name: 'bench.insert_select',
  sql: `INSERT INTO default.events
        SELECT * EXCEPT (event_id, ingested_at, exception_group), generateUUIDv4(), now64(3), exception_group
        FROM default.events LIMIT ${copyRows}`,
  timeoutMs: 600_000,
})
const engineRate = copyRows / ((performance.now() - started) / 1000)
rows.push(`| engine INSERT … SELECT | — | — | ${formatRate(engineRate)} | — | ${memory.peakMiB()} |`)
console.log(`engine INSERT … SELECT (${copyRows} rows): ${formatRate(engineRate)} rows/s`)

console.log(
  '\n| path | batch | clients | events/s | server CPU µs/event | peak RSS MiB |\n|---|---|---|---|---|---|',
)
for (const row of rows) console.log(row)
console.log(`\nprocess peak RSS (whole run): ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB`)

memory.stop()
await service.stop()
