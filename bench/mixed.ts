/**
 * Mixed load (issue 21 item 4): ingest and heavy dashboard queries at the same time, against the
 * release before the rollups, each service in a process of its own, measured in turn (the order
 * rotating each round) so that the machine's drift falls on all of them alike:
 *
 * - this build as it runs (production defaults: the response cache on), rate limits off;
 * - the same with the response cache off (RESPONSE_CACHE_TTL_MS=0): what a miss costs over none;
 * - the release before the rollups (`--release`, default /tmp/rel-4013c9d: a worktree of 4013c9d
 *   with `npm install` run), left out when that worktree is absent.
 *
 * Each service first gets `--rows` synthetic events over the last 7 days (its own generator).
 * Then, per measurement, two child processes at once: `--ingest-clients` loops posting 100-event
 * CVAT client batches (CVAT's echo as the answer), and `--query-clients` loops asking the
 * Management dashboard's heaviest panel (`activity(interval: "61s") { buckets byUser }` over the
 * last 6 hours, a range ending when each request is sent: no answer is reused between requests).
 *
 *   npm run bench:mixed [-- --rows 1000000 --seconds 15 --rounds 3 --ingest-clients 50 --query-clients 10]
 *
 * Writes its section of bench/RESULTS.md.
 */
import path from 'node:path'
import { parseArgs } from 'node:util'
import { basic } from '../tests/support/fixtures.js'
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
import type { IngestJob, IngestResult } from './ingest-client.js'
import type { QueryJob, QueryResult } from './query-client.js'

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    seconds: { type: 'string', default: '15' },
    rounds: { type: 'string', default: '3' },
    'ingest-clients': { type: 'string', default: '50' },
    'query-clients': { type: 'string', default: '10' },
    release: { type: 'string', default: '/tmp/rel-4013c9d' },
  },
})
const ROWS = Number(values.rows)
const SECONDS = Number(values.seconds)
const ROUNDS = Number(values.rounds)
const INGEST_CLIENTS = Number(values['ingest-clients'])
const QUERY_CLIENTS = Number(values['query-clients'])
const ROOT = path.resolve(import.meta.dirname, '..')
const DAY = 86_400_000
const HEAVY = `query MixedHeavy($filter: EventFilter, $interval: String!) {
  activity(filter: $filter, interval: $interval) {
    buckets { time count users }
    byUser { userId userName buckets { time count users } }
  }
}`

const NO_LIMITS = { RATE_LIMIT_INGEST: '0', RATE_LIMIT_INGEST_TOKEN: '0', RATE_LIMIT_GRAPHQL: '0' }
const specs: ServiceSpec[] = [
  { key: 'ours', name: 'this build (response cache on)', root: ROOT, env: NO_LIMITS },
  {
    key: 'nocache',
    name: 'this build, response cache off',
    root: ROOT,
    env: { ...NO_LIMITS, RESPONSE_CACHE_TTL_MS: '0' },
  },
  ...releaseSpecs(values.release, NO_LIMITS),
]

console.log(`${machineLine()}\nservices: ${specs.map((s) => s.name).join('; ')}\n`)
const services: ServiceProcess[] = []
const loaded: string[] = []
for (const spec of specs) {
  const service = await startServiceProcess(spec.key, spec.root, spec.env, { NODE_ENV: 'production' })
  services.push(service)
  const now = Date.now()
  const seconds = await service.load(ROWS, now - 7 * DAY, now)
  loaded.push(`${spec.name} ${seconds.toFixed(0)} s`)
  console.log(`${spec.name}: ${ROWS.toLocaleString('en-US')} events loaded in ${seconds.toFixed(0)} s`)
}

const ingestJob = (service: ServiceProcess, seconds: number): IngestJob => ({
  url: `http://127.0.0.1:${service.port}/api/events`,
  authorization: basic('walt'),
  org: 'acme',
  batchSize: 100,
  concurrency: INGEST_CLIENTS,
  seconds,
})
const queryJob = (service: ServiceProcess, seconds: number): QueryJob => ({
  url: `http://127.0.0.1:${service.port}/graphql`,
  headers: { authorization: basic('admin') },
  query: HEAVY,
  rangeMs: 6 * 3_600_000,
  interval: '61s',
  concurrency: QUERY_CLIENTS,
  seconds,
})
const measure = (service: ServiceProcess, seconds: number) =>
  Promise.all([
    runChildClient<IngestJob, IngestResult>(
      new URL('./ingest-client.ts', import.meta.url),
      ingestJob(service, seconds),
    ),
    runChildClient<QueryJob, QueryResult>(
      new URL('./query-client.ts', import.meta.url),
      queryJob(service, seconds),
    ),
  ])
// Warm-up: JIT, connections, first parts and passes.
for (const service of services) await measure(service, 3)

interface Measurement {
  readonly rate: number
  readonly ackP50: number
  readonly ackP99: number
  readonly ingestFailures: number
  readonly queries: number
  readonly queryP50: number
  readonly queryP99: number
  readonly queryFailures: number
  readonly cores: number
}
const results = new Map<string, Measurement[]>()
for (let round = 0; round < ROUNDS; round++) {
  const order = services.map((_, i) => services[(i + round) % services.length] as ServiceProcess)
  for (const service of order) {
    const before = await service.usage()
    const started = performance.now()
    const [ingest, query] = await measure(service, SECONDS)
    const wall = (performance.now() - started) / 1000
    const after = await service.usage()
    const m: Measurement = {
      rate: ingest.events / ingest.seconds,
      ackP50: ingest.p50,
      ackP99: ingest.p99,
      ingestFailures: ingest.failures,
      queries: query.requests,
      queryP50: query.p50,
      queryP99: query.p99,
      queryFailures: query.failures,
      cores: (after.cpuMicros - before.cpuMicros) / 1e6 / wall,
    }
    results.set(service.name, [...(results.get(service.name) ?? []), m])
    console.log(
      `round ${round + 1}, ${service.name}: ingest ${formatRate(m.rate)} events/s (ack p50 ${m.ackP50.toFixed(0)} ms, p99 ${m.ackP99.toFixed(0)} ms, ${m.ingestFailures} failed); heavy query ${m.queries} answered (p50 ${m.queryP50.toFixed(0)} ms, p99 ${m.queryP99.toFixed(0)} ms, ${m.queryFailures} failed); service ${m.cores.toFixed(2)} cores`,
    )
  }
}
for (const service of services) await service.stop()

const fmt = (n: number, digits = 0) => n.toFixed(digits)
const med = (key: string, pick: (m: Measurement) => number) => median((results.get(key) ?? []).map(pick))
const table = [
  '| service | ingest events/s | ack p50 ms | ack p99 ms | heavy queries answered | query p50 ms | query p99 ms | failed (ingest, query) | service cores |',
  '|---|---|---|---|---|---|---|---|---|',
  ...specs.map((s) => {
    const ms = results.get(s.key) ?? []
    return `| ${s.name} | ${formatRate(med(s.key, (m) => m.rate))} | ${fmt(med(s.key, (m) => m.ackP50))} | ${fmt(med(s.key, (m) => m.ackP99))} | ${fmt(med(s.key, (m) => m.queries))} | ${fmt(med(s.key, (m) => m.queryP50))} | ${fmt(med(s.key, (m) => m.queryP99))} | ${ms.reduce((n, m) => n + m.ingestFailures, 0)}, ${ms.reduce((n, m) => n + m.queryFailures, 0)} | ${fmt(
      med(s.key, (m) => m.cores),
      2,
    )} |`
  }),
]
/** Per round, this build's figure over another's (same round, a minute apart): median and range. */
const ratio = (other: string, pick: (m: Measurement) => number) => {
  const ours = results.get('ours') ?? []
  const theirs = results.get(other) ?? []
  const each = ours.map((m, i) => pick(m) / pick(theirs[i] ?? m)).sort((a, b) => a - b)
  return {
    median: median(each),
    text: `${fmt(median(each), 2)} (${fmt(each[0] ?? Number.NaN, 2)}–${fmt(each.at(-1) ?? Number.NaN, 2)})`,
  }
}
const others = specs.filter((s) => s.key !== 'ours')
const ratios = [
  '| this build ÷ | ingest events/s | query p50 |',
  '|---|---|---|',
  ...others.map(
    (o) => `| ${o.name} | ${ratio(o.key, (m) => m.rate).text} | ${ratio(o.key, (m) => m.queryP50).text} |`,
  ),
]
const yes = (ok: boolean) => (ok ? 'yes' : 'NO')
const conditions = [
  `ack p99 ≤ 1 s: ${yes(med('ours', (m) => m.ackP99) <= 1000)}`,
  `a miss costs at most 5 % over no cache (query p50): ${yes(ratio('nocache', (m) => m.queryP50).median <= 1.05)}`,
  ...(results.has('release')
    ? [
        `ingest ≥ 0.9× the release: ${yes(ratio('release', (m) => m.rate).median >= 0.9)}`,
        `heavy-query p50 no worse than the release: ${yes(ratio('release', (m) => m.queryP50).median <= 1)}`,
      ]
    : []),
]
console.log(`\n${table.join('\n')}\n\n${ratios.join('\n')}\n\n${conditions.join('; ')}`)
await writeResultsSection(
  'mixed',
  [
    `## Mixed load: ingest and heavy queries at once (\`npm run bench:mixed -- --rows ${ROWS} --seconds ${SECONDS} --rounds ${ROUNDS} --ingest-clients ${INGEST_CLIENTS} --query-clients ${QUERY_CLIENTS}\`)`,
    '',
    `- Machine: ${machineLine()}.`,
    `- Date: ${new Date().toISOString().slice(0, 10)}; commit ${commitLine()}; \`NODE_ENV=production\`.`,
    `- Setup: each service in a process of its own (bench/service-process.ts: its checkout's tests/support/app.ts, a fresh data directory), rate limits off, ${ROWS.toLocaleString('en-US')} synthetic events over the last 7 days loaded first (${loaded.join('; ')}). Per measurement, at once for ${SECONDS} s: ${INGEST_CLIENTS} clients posting 100-event CVAT client batches as \`walt\` in \`acme\` (CVAT's echo as the answer), and ${QUERY_CLIENTS} clients asking \`activity(interval: "61s") { buckets byUser }\` over the 6 hours before the moment of asking, as admin; each client waits for its answer. The services measured in turn, the order rotating each round, ${ROUNDS} rounds; medians.`,
    '',
    ...table,
    '',
    'Ratios per round (median, and the range over rounds):',
    '',
    ...ratios,
    '',
    `Issue 21 item 4: ${conditions.join('; ')}.`,
  ].join('\n'),
)
