/**
 * What a cached answer costs (`--part cost`): one heavy answer (`activity(interval: "10m") { byUser }`
 * over 7 days, a series per user) asked one request at a time through the app's fetch, with the
 * cache off, as a miss (each request another key) and as a hit, alternating in rounds in one run;
 * medians of each request's wall time.
 *
 * Repeat dashboard refreshes (`--part throughput`): requests per second of one cached panel (the Monitoring dashboard's
 * "Events and durations per scope and source", as Infinity asks for it) against a plain
 * `node:http` server answering the same JSON bytes, in the same run, same client; and the same
 * panel with the response cache off, for what a refresh costs when it is computed.
 *
 *   npm run bench:cache [-- --events 1000000 --seconds 10 --concurrency 16 --rounds 3 --part all|cost|throughput]
 *
 * Writes its section of bench/RESULTS.md.
 */
import { fork } from 'node:child_process'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { parseArgs } from 'node:util'
import { createYogaServer } from '../src/pipeline/yoga.js'
import { addGrafanaToken } from '../tests/support/fixtures.js'
import { startTestApp, type TestApp } from '../tests/support/app.js'
import { DERIVED_TABLES } from '../src/store/rollups/catalog.js'
import { commitLine, machineLine, median, writeResultsSection } from './support.js'

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    seconds: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '16' },
    rounds: { type: 'string', default: '5' },
    part: { type: 'string', default: 'all' },
  },
})
const EVENTS = Number(values.events)
const SECONDS = Number(values.seconds)
const CONCURRENCY = Number(values.concurrency)
const ROUNDS = Number(values.rounds)
const NOW = Date.now()
const TOKEN = 'aat_bench-cache-grafana-token-0123456789ab'

const QUERY = `query GrafanaScopeDurations($filter: EventFilter!) {
  scopeDurations(filter: $filter) { scope source count avgDuration minDuration maxDuration }
}`
const body = JSON.stringify({
  query: QUERY,
  variables: {
    filter: {
      from: new Date(NOW - 7 * 86_400_000).toISOString(),
      to: new Date(NOW).toISOString(),
      userIds: [],
      projectIds: [],
      taskIds: [],
      jobIds: [],
      scopes: [],
      sources: [],
    },
  },
})
const headers = {
  'content-type': 'application/json',
  accept: 'application/json;q=0.9,text/plain',
  authorization: `Bearer ${TOKEN}`,
  'x-grafana-user': 'admin',
}

interface Load {
  requests: number
  seconds: number
  failures: number
  bytes: number
}

function load(url: string): Promise<Load> {
  return new Promise((resolve, reject) => {
    const child = fork(new URL('./load-client.ts', import.meta.url).pathname, [], {
      execArgv: ['--import', 'tsx'],
    })
    child.once('message', (message) => {
      resolve(message as Load)
      child.kill()
    })
    child.once('error', reject)
    child.send({ url, method: 'POST', headers, body, concurrency: CONCURRENCY, seconds: SECONDS })
  })
}

async function service(ttlMs: number): Promise<{ t: TestApp; url: string }> {
  const t = await startTestApp({ RESPONSE_CACHE_TTL_MS: String(ttlMs), PORT: '0' })
  await addGrafanaToken(t, TOKEN)
  await t.app.services.store.bulk.insertSynthetic({ rows: EVENTS, fromMs: NOW - 31 * 86_400_000, toMs: NOW })
  await t.app.services.store.rollups.whenReady()
  await t.app.services.store.rollups.flush()
  // Merged now, so that no background merge competes with the measurement.
  for (const table of ['events', ...DERIVED_TABLES.map((d) => d.name)])
    await t.sql.command({
      name: 'bench.optimize',
      sql: `OPTIMIZE TABLE default.${table} FINAL`,
      timeoutMs: 3_600_000,
    })
  const { url } = await t.app.start()
  return { t, url: `${url}/graphql` }
}

const PART = values.part ?? 'all'
const HEAVY = `query HeavyActivity($filter: EventFilter!) {
  activity(filter: $filter, interval: "10m") { byUser { userId userName buckets { time count users } } }
}`
const heavyVariables = {
  filter: { from: new Date(NOW - 7 * 86_400_000).toISOString(), to: new Date(NOW).toISOString() },
}

/** Milliseconds of one request through `fetch` (the whole pipeline, the body read to its end). */
async function timed(
  send: (request: Request) => Promise<Response>,
  query: string,
): Promise<{ ms: number; cpuMs: number; bytes: number }> {
  const started = performance.now()
  const cpu = process.cpuUsage()
  const res = await send(
    new Request('http://bench/graphql', {
      method: 'POST',
      headers,
      body: JSON.stringify({ query, variables: heavyVariables }),
    }),
  )
  const text = await res.text()
  if (res.status !== 200) throw new Error(`the heavy query failed: ${res.status} ${text.slice(0, 500)}`)
  const bytes = Buffer.byteLength(text)
  const used = process.cpuUsage(cpu)
  return { ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000, bytes }
}

async function costPart(): Promise<string[]> {
  const on = await service(60_000)
  const services = on.t.app.services
  const off = createYogaServer({ ...services, config: { ...services.config, responseCacheTtlMs: 0 } })
  const cachedFetch = (r: Request) => on.t.app.fetch(r)
  const offFetch = async (r: Request) => off.fetch(r)
  let distinct = 0
  // Another operation name, another key (and another parse) in both: a miss against no cache, like for like.
  const fresh = () => HEAVY.replace('HeavyActivity', `HeavyActivity${++distinct}`)
  const times = { off: [] as number[], miss: [] as number[], hit: [] as number[] }
  // CPU time of this process (the service and the embedded engine): less moved by others' load.
  const cpu = { off: [] as number[], miss: [] as number[], hit: [] as number[] }
  const measure = async (
    kind: 'off' | 'miss' | 'hit',
    send: (r: Request) => Promise<Response>,
    query: string,
  ) => {
    const r = await timed(send, query)
    times[kind].push(r.ms)
    cpu[kind].push(r.cpuMs)
    return r
  }
  let bytes = 0
  // Warm-up: plans, JIT, the parse cache of the hit's document.
  for (let i = 0; i < 3; i++) {
    await timed(offFetch, fresh())
    await timed(cachedFetch, fresh())
  }
  await timed(cachedFetch, HEAVY)
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < 5; i++) await measure('off', offFetch, fresh())
    for (let i = 0; i < 5; i++) await measure('miss', cachedFetch, fresh())
    for (let i = 0; i < 20; i++) {
      bytes = (await measure('hit', cachedFetch, HEAVY)).bytes
    }
    console.log(
      `round ${round + 1}: off ${median(times.off).toFixed(1)} ms, miss ${median(times.miss).toFixed(1)} ms, hit ${median(times.hit).toFixed(2)} ms (medians so far)`,
    )
  }
  await on.t.stop()
  const o = median(times.off)
  const m = median(times.miss)
  const h = median(times.hit)
  const [co, cm, ch] = [median(cpu.off), median(cpu.miss), median(cpu.hit)]
  return [
    `## Response cache: cost of a hit and a miss (\`npm run bench:cache -- --part cost --events ${EVENTS} --rounds ${ROUNDS}\`)`,
    '',
    `- Machine: ${machineLine()}. The machine is shared with other engineers' work: absolute times move with the load, the ratios of one run less so.`,
    `- Date: ${new Date().toISOString().slice(0, 10)}; commit ${commitLine()}.`,
    `- Setup: ${EVENTS.toLocaleString('en-US')} synthetic events; \`activity(interval: "10m") { byUser { userId userName buckets { time count users } } }\` over the last 7 days ` +
      `(answer ${bytes.toLocaleString('en-US')} bytes), grafana token acting for admin, one request at a time through the app's fetch (no port), ` +
      `${ROUNDS} rounds of 5 with the cache off, 5 misses (another operation name each time) and 20 hits; medians; \`NODE_ENV=production\`.`,
    '',
    '| request | median wall ms | against cache off | median CPU ms | against cache off |',
    '|---|---|---|---|---|',
    `| cache off | ${o.toFixed(1)} | 1.00× | ${co.toFixed(1)} | 1.00× |`,
    `| cache on, miss | ${m.toFixed(1)} | ${(m / o).toFixed(2)}× | ${cm.toFixed(1)} | ${(cm / co).toFixed(2)}× |`,
    `| cache on, hit | ${h.toFixed(2)} | ${(h / o).toFixed(3)}× (of a miss: ${(h / m).toFixed(3)}) | ${ch.toFixed(2)} | ${(ch / co).toFixed(3)}× (of a miss: ${(ch / cm).toFixed(3)}) |`,
  ]
}

if (PART === 'cost' || PART === 'all') {
  const lines = await costPart()
  await writeResultsSection('cache-cost', lines.join('\n'))
  console.log(lines.join('\n'))
}
if (PART === 'cost') process.exit(0)

const perSecond = (l: Load) => l.requests / l.seconds

const cached = await service(60_000)
const answer = await fetch(cached.url, { method: 'POST', headers, body })
const json = Buffer.from(await answer.arrayBuffer())
if (answer.status !== 200) throw new Error(`the panel failed: ${answer.status} ${json.toString()}`)
// The plain server: the same bytes, the same content type, nothing else.
const plain = createServer((req, res) => {
  req.resume()
  req.on('end', () => {
    res.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': json.byteLength,
    })
    res.end(json)
  })
})
await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve))
const plainUrl = `http://127.0.0.1:${(plain.address() as AddressInfo).port}/graphql`

const rates = { cached: [] as number[], plain: [] as number[] }
for (let round = 0; round < ROUNDS; round++) {
  rates.cached.push(perSecond(await load(cached.url)))
  rates.plain.push(perSecond(await load(plainUrl)))
  console.log(
    `round ${round + 1}: cached ${rates.cached.at(-1)?.toFixed(0)}/s, plain node:http ${rates.plain.at(-1)?.toFixed(0)}/s`,
  )
}
plain.close()
await cached.t.stop()

const uncached = await service(0)
const computed = perSecond(await load(uncached.url))
console.log(`cache off: ${computed.toFixed(0)}/s`)
await uncached.t.stop()

const c = median(rates.cached)
const p = median(rates.plain)
const lines = [
  `## Response cache (\`npm run bench:cache -- --events ${EVENTS} --seconds ${SECONDS} --concurrency ${CONCURRENCY} --rounds ${ROUNDS}\`)`,
  '',
  `- Machine: ${machineLine()}.`,
  `- Date: ${new Date().toISOString().slice(0, 10)}; commit ${commitLine()}.`,
  `- Setup: the service on a real port with ${EVENTS.toLocaleString('en-US')} synthetic events; the Monitoring dashboard's "Events and durations per scope and source" ` +
    `over the last 7 days, as Infinity asks (grafana token acting for admin), answer ${json.byteLength} bytes; ${CONCURRENCY} keep-alive clients in a child process, ` +
    `${SECONDS} s per measurement, ${ROUNDS} rounds alternating with a plain \`node:http\` server answering the same bytes; medians; \`NODE_ENV=production\`.`,
  '',
  '| server | requests/s | against plain node:http |',
  '|---|---|---|',
  `| plain \`node:http\`, the same JSON (reference) | ${p.toFixed(0)} | 100 % |`,
  `| the service, answer cached | ${c.toFixed(0)} | ${((100 * c) / p).toFixed(0)} % |`,
  `| the service, cache off (computed every time) | ${computed.toFixed(0)} | ${((100 * computed) / p).toFixed(1)} % |`,
]
await writeResultsSection('cache', lines.join('\n'))
console.log(lines.join('\n'))
