/**
 * Ingest throughput: events/s through `POST /api/events` (real HTTP, clients in a separate
 * process) for batches of 100 and 1000 events at 1 and 8 concurrent clients, beside the engine's
 * own `INSERT … SELECT` rate on the same table in the same run, and the server's peak memory;
 * all of it twice in one run, with the rollups' views attached (as the service runs) and with
 * them dropped (what the views cost).
 *
 *   npm run bench:ingest [-- --events 400000]
 *
 * Writes its section of bench/RESULTS.md.
 */
import { fork } from 'node:child_process'
import { parseArgs } from 'node:util'
import { basic } from '../tests/support/fixtures.js'
import { startTestApp } from '../tests/support/app.js'
import { commitLine, formatRate, machineLine, MemorySampler, writeResultsSection } from './support.js'
import { emptyRecord } from '../src/ingest/records.js'
import { CVAT_COLUMNS, serializeEvent } from '../src/store/index.js'

const { values } = parseArgs({ options: { events: { type: 'string', default: '400000' } } })
const EVENTS_PER_SCENARIO = Number(values.events)

interface ClientResult {
  events: number
  seconds: number
  failures: number
}

/** Runs `concurrency` client loops in a child process, so client work does not share our core. */
function runClients(
  port: number,
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
const rates = new Map<string, number>()

for (const views of [true, false]) {
  // The service as the tests build it: a fresh data directory, the test accounts, quiet logs.
  // No rate limit: the clients are one user sending as fast as it is acknowledged.
  const service = await startTestApp({ RATE_LIMIT_INGEST: '0' })
  const { app } = service
  const { port } = await app.start()
  if (!views) {
    // What the service would be without rollups: the same tables, no view to feed them.
    for (const view of ['rollups_v2_mv', 'events_exceptions_mv'])
      await service.sql.command({ name: 'bench.drop_view', sql: `DROP VIEW default.${view}` })
  }
  const memory = new MemorySampler()
  const label = views ? 'with views' : 'without views'

  console.log(`${label}: ${machineLine()}; events per scenario: ${EVENTS_PER_SCENARIO}\n`)

  // Warm-up: JIT, connections, first parts.
  await runClients(port, 100, 2, 20_000)

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
    const result = await runClients(port, batchSize, concurrency, EVENTS_PER_SCENARIO, minimal)
    const cpu = process.cpuUsage(cpuBefore)
    const rate = result.events / result.seconds
    const cpuPerEvent = ((cpu.user + cpu.system) / result.events).toFixed(1)
    const answer = minimal ? 'minimal' : 'CVAT echo'
    console.log(
      `HTTP batch=${batchSize} clients=${concurrency} answer=${answer}: ${formatRate(rate)} events/s ` +
        `(${result.events} in ${result.seconds.toFixed(2)} s, ${result.failures} failed), server CPU ${cpuPerEvent} µs/event, peak RSS ${memory.peakMiB()} MiB`,
    )
    rows.push(
      `| POST /api/events (${answer}) | ${label} | ${batchSize} | ${concurrency} | ${formatRate(rate)} | ${cpuPerEvent} | ${memory.peakMiB()} |`,
    )
    rates.set(`${answer}|${batchSize}|${concurrency}|${label}`, rate)
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
    `| store insert, 8000-row TSV blocks | ${label} | 8000 | 1 | ${formatRate(blockRate)} | ${blockCpuPerRow} | ${memory.peakMiB()} |`,
  )
  rates.set(`store|8000|1|${label}`, blockRate)
  console.log(
    `store insert of 8000-row blocks: ${formatRate(blockRate)} rows/s, ${blockCpuPerRow} µs CPU/row`,
  )

  // The engine's own rate on the same table: copy rows within it, no JavaScript involved.
  const [countRow] = await engine.rows<{ n: string }>({
    name: 'bench.count',
    sql: 'SELECT count() AS n FROM default.events',
  })
  const copyRows = Math.min(Number(countRow?.n), 1_000_000)
  memory.reset()
  const started = performance.now()
  const cvatColumns = CVAT_COLUMNS.join(', ')
  await engine.command({
    name: 'bench.insert_select',
    sql: `INSERT INTO default.events (${cvatColumns}, exception_group, event_id)
          SELECT ${cvatColumns}, exception_group, generateUUIDv7() FROM default.events LIMIT ${copyRows}`,
    timeoutMs: 600_000,
  })
  const engineRate = copyRows / ((performance.now() - started) / 1000)
  rows.push(
    `| engine INSERT … SELECT | ${label} | — | — | ${formatRate(engineRate)} | — | ${memory.peakMiB()} |`,
  )
  rates.set(`engine|—|—|${label}`, engineRate)
  console.log(`engine INSERT … SELECT (${copyRows} rows): ${formatRate(engineRate)} rows/s`)
  memory.stop()
  await service.stop()
}

const table = [
  '| path | rollups | batch | clients | events/s | server CPU µs/event | peak RSS MiB |',
  '|---|---|---|---|---|---|---|',
  ...rows,
]
console.log(`\n${table.join('\n')}`)
const costs = [...rates]
  .filter(([key]) => key.endsWith('|with views'))
  .map(([key, rate]) => {
    const without = rates.get(key.replace('|with views', '|without views')) ?? Number.NaN
    const [path, batch, clients] = key.split('|')
    return `| ${path} | ${batch} | ${clients} | ${formatRate(rate)} | ${formatRate(without)} | ${((100 * rate) / without).toFixed(0)} % |`
  })
const lines = [
  `## Ingest with and without the rollups' views (\`npm run bench:ingest -- --events ${EVENTS_PER_SCENARIO}\`)`,
  '',
  `- Machine: ${machineLine()}.`,
  `- Date: ${new Date().toISOString().slice(0, 10)}; commit ${commitLine()}.`,
  '- Setup: as in the section above (the service on a real port, clients in a child process), twice in one run: with the views (as the service runs) and with them dropped; ' +
    "the reference for each HTTP figure is the engine's own `INSERT … SELECT` in the same run.",
  '',
  ...table,
  '',
  '| path | batch | clients | events/s with views | without | with ÷ without |',
  '|---|---|---|---|---|---|',
  ...costs,
]
await writeResultsSection('ingest-views', lines.join('\n'))
