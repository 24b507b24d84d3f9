/**
 * Ingest throughput and acknowledgement latency through `POST /api/events` (real HTTP, CVAT
 * client batches, CVAT's echo as the answer) at 1-, 100- and 1000-event batches × 16 clients,
 * for three services side by side, each in a process of its own, measured in turn (the order
 * rotating each round) so that the machine's drift falls on all of them alike:
 *
 * - this build as it runs: the rollups and the exceptions' copy fed by passes (ROLLUP_FEED auto);
 * - this build with the rollups not fed at all (no views, no passes): what they cost;
 * - the release before the rollups (RELEASE, default 4013c9d), built from this repository's
 *   history in a worktree of its own (`git worktree add /tmp/rel-4013c9d 4013c9d`, `npm install`
 *   there), with `--release /tmp/rel-4013c9d`; left out when that worktree is absent;
 * - with `--views`, also this build fed by materialized views (ROLLUP_FEED=view), the previous way.
 *
 * Then this build's own limits at 1000-event batches: the store's insert of 16,000-row TSV blocks
 * (what group commit makes of 16 clients × 1000 events) and the engine's INSERT … SELECT.
 *
 *   npm run bench:ingest [-- --seconds 8 --rounds 3 --release /tmp/rel-4013c9d --views --profile DIR]
 *
 * Besides the rate and latency, each service's CPU per event (its process, the engine's threads
 * included) and its main thread's per request (the JavaScript a request costs: HTTP, auth,
 * parsing, serialising), so builds compare on what each part costs, not only on how fast the
 * machine let them be. `--profile DIR`: a CPU profile of each service's first round per batch
 * size (DIR/<service>-<batch>.cpuprofile, for Chrome DevTools or any .cpuprofile reader).
 *
 * Writes its section of bench/RESULTS.md.
 */
import path from 'node:path'
import { parseArgs } from 'node:util'
import { basic } from '../tests/support/fixtures.js'
import { startTestApp } from '../tests/support/app.js'
import {
  commitLine,
  formatRate,
  machineLine,
  median,
  releaseSpecs,
  runChildClient,
  startServiceProcess,
  type ServiceSpec,
  writeResultsSection,
  type ServiceProcess,
} from './support.js'
import { emptyRecord } from '../src/ingest/records.js'
import { newEventId } from '../src/ingest/event-id.js'
import { CVAT_COLUMNS, serializeEvent } from '../src/store/index.js'
import type { IngestJob, IngestResult } from './ingest-client.js'

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '8' },
    rounds: { type: 'string', default: '3' },
    batches: { type: 'string', default: '1,100,1000' },
    clients: { type: 'string', default: '16' },
    release: { type: 'string', default: '/tmp/rel-4013c9d' },
    views: { type: 'boolean', default: false },
    profile: { type: 'string' },
  },
})
const SECONDS = Number(values.seconds)
const ROUNDS = Number(values.rounds)
const BATCHES = values.batches.split(',').map(Number)
const CLIENTS = Number(values.clients)
const ROOT = path.resolve(import.meta.dirname, '..')

/** Runs the clients in a child process, so their work does not share the service's process. */
const runClients = (job: IngestJob) =>
  runChildClient<IngestJob, IngestResult>(new URL('./ingest-client.ts', import.meta.url), job)

const NO_LIMIT = { RATE_LIMIT_INGEST: '0' }
const specs: ServiceSpec[] = [
  { key: 'passes', name: 'this build (rollups fed by passes)', root: ROOT, env: NO_LIMIT },
  {
    key: 'unfed',
    name: 'this build, rollups not fed (no views, no passes)',
    root: ROOT,
    env: { ...NO_LIMIT, ROLLUP_PASS_MS: '0' },
  },
  ...(values.views
    ? [
        {
          key: 'views',
          name: 'this build fed by views (ROLLUP_FEED=view)',
          root: ROOT,
          env: { ...NO_LIMIT, ROLLUP_FEED: 'view' },
        },
      ]
    : []),
  ...releaseSpecs(values.release, NO_LIMIT),
]

console.log(`${machineLine()}\nservices: ${specs.map((s) => s.name).join('; ')}\n`)
const services: ServiceProcess[] = []
for (const spec of specs) services.push(await startServiceProcess(spec.key, spec.root, spec.env))
const job = (service: ServiceProcess, batchSize: number, seconds: number): IngestJob => ({
  url: `http://127.0.0.1:${service.port}/api/events`,
  authorization: basic('walt'),
  org: 'acme',
  batchSize,
  concurrency: CLIENTS,
  seconds,
})
// Warm-up: JIT, connections, first parts, the first passes.
for (const service of services) await runClients(job(service, 100, 2))

interface Measurement {
  readonly rate: number
  readonly p50: number
  readonly p99: number
  readonly cpuPerEvent: number
  readonly mainPerRequest: number
  readonly failures: number
}
const results = new Map<string, Measurement[]>()
for (const batch of BATCHES) {
  for (let round = 0; round < ROUNDS; round++) {
    const order = services.map((_, i) => services[(i + round) % services.length] as ServiceProcess)
    for (const service of order) {
      const profiling = values.profile !== undefined && round === 0
      if (profiling) await service.startProfile()
      const before = await service.usage()
      const r = await runClients(job(service, batch, SECONDS))
      const after = await service.usage()
      if (profiling)
        await service.stopProfile(path.join(values.profile ?? '', `${service.name}-${batch}.cpuprofile`))
      const m: Measurement = {
        rate: r.events / r.seconds,
        p50: r.p50,
        p99: r.p99,
        cpuPerEvent: (after.cpuMicros - before.cpuMicros) / Math.max(1, r.events),
        mainPerRequest: (after.mainThreadMicros - before.mainThreadMicros) / Math.max(1, r.requests),
        failures: r.failures,
      }
      const key = `${service.name}|${batch}`
      results.set(key, [...(results.get(key) ?? []), m])
      console.log(
        `batch ${batch} × ${CLIENTS}, round ${round + 1}, ${service.name}: ${formatRate(m.rate)} events/s, ack p50 ${m.p50.toFixed(1)} ms, p99 ${m.p99.toFixed(1)} ms, server CPU ${m.cpuPerEvent.toFixed(1)} µs/event, main thread ${m.mainPerRequest.toFixed(0)} µs/request, ${m.failures} failed`,
      )
    }
  }
}
for (const service of services) await service.stop()

// This build's ceilings at 1000-event batches, in this process: the store's own inserts of the
// blocks group commit makes, and the engine copying rows within the table.
const ceiling = await startTestApp()
const rows = Array.from({ length: CLIENTS * 1000 }, (_, i) => {
  const at = Date.now() - i * 40
  return serializeEvent({
    ...emptyRecord(at),
    eventId: newEventId(at),
    scope: i % 3 === 0 ? 'draw:object' : 'change:frame',
    source: 'client',
    duration: 350,
    count: 1,
    jobId: String(1000 + (i % 40)),
    taskId: '100',
    projectId: '10',
    userId: '3',
    userName: 'walt',
    orgId: '1',
    orgSlug: 'acme',
    payload: '{"step":1,"tool":"rectangle","label_id":3}',
  })
})
const block = rows.join('\n')
const blocks = 40
const blockStart = performance.now()
for (let i = 0; i < blocks; i++)
  await ceiling.app.services.store.ingest.insert({ body: block, dedupToken: `bench-${i}-${Date.now()}` })
const storeRate = (blocks * rows.length) / ((performance.now() - blockStart) / 1000)
await ceiling.app.services.store.rollups.flush()
const cvatColumns = CVAT_COLUMNS.join(', ')
const copyStart = performance.now()
await ceiling.sql.command({
  name: 'bench.insert_select',
  sql: `INSERT INTO default.events (${cvatColumns}, exception_group, event_id)
        SELECT ${cvatColumns}, exception_group, generateUUIDv7() FROM default.events`,
  timeoutMs: 600_000,
})
const copyRate = (blocks * rows.length) / ((performance.now() - copyStart) / 1000)
const passStart = performance.now()
await ceiling.app.services.store.rollups.flush()
const passRate = (blocks * rows.length) / ((performance.now() - passStart) / 1000)
await ceiling.stop()
console.log(
  `store insert of ${rows.length}-row blocks: ${formatRate(storeRate)} rows/s; engine INSERT … SELECT: ${formatRate(copyRate)} rows/s; a pass over those rows: ${formatRate(passRate)} rows/s`,
)

const fmt = (n: number, digits = 1) => n.toFixed(digits)
const byName = new Map(specs.map((s) => [s.key, s.name]))
const table = [
  '| batch × clients | service | events/s (median) | ack p50 ms | ack p99 ms | server CPU µs/event | main thread µs/request | failed |',
  '|---|---|---|---|---|---|---|---|',
]
for (const batch of BATCHES) {
  for (const spec of specs) {
    const ms = results.get(`${spec.key}|${batch}`) ?? []
    table.push(
      `| ${batch} × ${CLIENTS} | ${spec.name} | ${formatRate(median(ms.map((m) => m.rate)))} | ${fmt(median(ms.map((m) => m.p50)))} | ${fmt(median(ms.map((m) => m.p99)))} | ${fmt(median(ms.map((m) => m.cpuPerEvent)))} | ${fmt(median(ms.map((m) => m.mainPerRequest)), 0)} | ${ms.reduce((n, m) => n + m.failures, 0)} |`,
    )
  }
}
/** Per round, this build's rate over another's (same round, minutes apart): median and range. */
const ratio = (batch: number, other: string) => {
  const ours = results.get(`passes|${batch}`) ?? []
  const theirs = results.get(`${other}|${batch}`) ?? []
  const each = ours.map((m, i) => m.rate / (theirs[i]?.rate ?? Number.NaN)).sort((a, b) => a - b)
  return `${fmt(median(each), 2)} (${fmt(each[0] ?? Number.NaN, 2)}–${fmt(each.at(-1) ?? Number.NaN, 2)})`
}
const others = specs.filter((s) => s.key !== 'passes')
const ratios = [
  `| batch × clients | ${others.map((o) => `this build ÷ ${o.name}`).join(' | ')} |`,
  `|---|${others.map(() => '---').join('|')}|`,
  ...BATCHES.map((b) => `| ${b} × ${CLIENTS} | ${others.map((o) => ratio(b, o.key)).join(' | ')} |`),
]
console.log(`\n${table.join('\n')}\n\n${ratios.join('\n')}`)
const lines = [
  `## Ingest against the release before the rollups (\`npm run bench:ingest -- --seconds ${SECONDS} --rounds ${ROUNDS}${values.views ? ' --views' : ''}\`)`,
  '',
  `- Machine: ${machineLine()}.`,
  `- Date: ${new Date().toISOString().slice(0, 10)}; commit ${commitLine()}.`,
  `- Setup: each service in a process of its own (bench/service-process.ts: its checkout's tests/support/app.ts, a fresh data directory, no ingest rate limit), all started at once; ${CLIENTS} clients in a child process post CVAT client batches (${BATCHES.join(', ')} events) as \`walt\` in \`acme\` and get CVAT's echo, each waiting for its answer; ${SECONDS} s per measurement, the services measured in turn, the order rotating each round, ${ROUNDS} rounds; medians. Services: ${specs.map((s) => `${s.name}`).join('; ')}${byName.has('release') ? ` (${values.release}, built from this repository's history)` : ''}.`,
  '',
  ...table,
  '',
  'Ratios per round (median, and the range over rounds):',
  '',
  ...ratios,
  '',
  `This build's ceilings at 1000-event batches, in one process: the store's insert of ${rows.length}-row TSV blocks (what group commit makes of ${CLIENTS} × 1000 events) ${formatRate(storeRate)} rows/s; the engine's own \`INSERT … SELECT\` within the table ${formatRate(copyRate)} rows/s; a pass counting those rows into the rollups ${formatRate(passRate)} rows/s.`,
]
await writeResultsSection('ingest-release', lines.join('\n'))
