/**
 * Query latency: every dashboard aggregation through GraphQL (yoga.fetch, basic auth, policy,
 * loaders) beside the very statements it sent, replayed straight to the engine, on N synthetic
 * events (default 10M), in the same run. The ratio is the API's overhead.
 *
 *   npm run bench:queries [-- --rows 10000000 --runs 5]
 */
import os from 'node:os'
import { parseArgs } from 'node:util'
import { addOrganization } from '../src/auth/account-admin.js'
import { updateAccounts } from '../src/auth/accounts-file.js'
import type { Statement } from '../src/store/engine.js'
import { startTestApp } from '../tests/support/app.js'
import { basic } from '../tests/support/fixtures.js'
import { MemorySampler } from './support.js'

const { values } = parseArgs({
  options: { rows: { type: 'string', default: '10000000' }, runs: { type: 'string', default: '5' } },
})
const ROWS = Number(values.rows)
const RUNS = Number(values.runs)
const FROM = Date.UTC(2024, 0, 1)
const TO = Date.UTC(2024, 0, 31)

// The SQL side runs exactly the statements the GraphQL side sent (captured on its warm-up run),
// one after another, straight to the engine: the difference is the API.
const captured: Statement[] = []
const service = await startTestApp(
  { QUERY_TIMEOUT_MS: '600000' },
  { observeStore: (statement) => void captured.push(statement) },
)
const { app, config } = service
// The synthetic events belong to organizations 1–4; org1 lets the bench query as inside one.
await updateAccounts(config.accountsFile, (data) => ({
  data: addOrganization(data, { slug: 'org1', id: '1' }),
  result: undefined,
}))
await app.services.directory.refresh(true)
const engine = service.sql
const memory = new MemorySampler()

console.log(
  `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`,
)
let started = performance.now()
for (let offset = 0; offset < ROWS; offset += 2_000_000) {
  await app.services.store.bulk.insertSynthetic({
    rows: Math.min(2_000_000, ROWS - offset),
    fromMs: FROM,
    toMs: TO,
    offset,
  })
}
console.log(`inserted ${ROWS} synthetic events in ${((performance.now() - started) / 1000).toFixed(1)} s`)
started = performance.now()
await engine.command({
  name: 'bench.optimize',
  sql: 'OPTIMIZE TABLE default.events FINAL',
  timeoutMs: 3_600_000,
})
console.log(`merged to final parts in ${((performance.now() - started) / 1000).toFixed(1)} s\n`)

const range = `{ from: "${new Date(FROM).toISOString()}", to: "${new Date(TO).toISOString()}" }`

interface Case {
  readonly name: string
  readonly graphql: string
  readonly headers?: Record<string, string>
}

const cases: Case[] = [
  {
    name: 'count by scope (scopeDurations)',
    graphql: `{ scopeDurations(filter: ${range}) { scope source count avgDuration minDuration maxDuration } }`,
  },
  {
    name: 'events and distinct users per 15 min, gaps filled (activity)',
    graphql: `{ activity(filter: ${range}, interval: "15m") { buckets { time count users } } }`,
  },
  {
    name: 'per-user activity per 1 h (activity.byUser)',
    graphql: `{ activity(filter: ${range}, interval: "1h") { byUser { userId buckets { count } } } }`,
  },
  {
    name: 'working time by user, project, task, job (whole range)',
    graphql: `{ workingTime(filter: ${range}) { userId projectId taskId jobId hours actions } }`,
  },
  {
    name: 'working time inside an organization (policy forces org_id)',
    graphql: `{ workingTime(filter: ${range}) { userId projectId taskId jobId hours actions } }`,
    headers: { 'x-organization': 'org1' },
  },
  {
    name: "one job's working time (job.workingTime, all time)",
    graphql: `{ job(id: "1234") { workingTime { hours actions } } }`,
  },
  {
    name: '100 jobs with their working time (jobs + loader)',
    graphql: `{ jobs(filter: ${range}, first: 100) { id workingTime { hours actions } } }`,
  },
  {
    name: 'exceptions per 1 h (exceptionsOverTime)',
    graphql: `{ exceptionsOverTime(filter: ${range}, interval: "1h") { buckets { time count } } }`,
  },
  {
    name: 'latest 50 exceptions (exceptions)',
    graphql: `{ exceptions(filter: ${range}, first: 50) { edges { node { timestamp userName message stack } } } }`,
  },
  {
    name: 'browsers and operating systems (platforms)',
    graphql: `{ platforms(filter: ${range}) { browsers { name users } operatingSystems { name users } } }`,
  },
  {
    name: 'filter drop-downs (filterOptions)',
    graphql: `{ filterOptions(filter: ${range}) { users { id name } projectIds taskIds jobIds scopes sources } }`,
  },
  {
    name: 'latest 100 events (events)',
    graphql: `{ events(filter: ${range}, first: 100) { edges { node { id timestamp scope userName jobId payload } } } }`,
  },
]

async function viaGraphQL(c: Case): Promise<number> {
  const t0 = performance.now()
  const res = await app.fetch(
    new Request('http://bench/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: basic('admin'), ...(c.headers ?? {}) },
      body: JSON.stringify({ query: c.graphql }),
    }),
  )
  const body = (await res.json()) as { errors?: unknown }
  if (res.status !== 200 || body.errors)
    throw new Error(`${c.name}: ${res.status} ${JSON.stringify(body.errors)}`)
  return performance.now() - t0
}

async function viaSql(statements: readonly Statement[]): Promise<number> {
  const t0 = performance.now()
  for (const statement of statements) await engine.rows(statement)
  return performance.now() - t0
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number

console.log(`| query | GraphQL ms (median of ${RUNS}) | SQL ms | GraphQL / SQL |\n|---|---|---|---|`)
for (const c of cases) {
  captured.length = 0
  await viaGraphQL(c) // warm-up (caches, JIT, credential check) and capture of its statements
  const statements = [...captured]
  await viaSql(statements)
  const api: number[] = []
  const raw: number[] = []
  for (let i = 0; i < RUNS; i++) {
    api.push(await viaGraphQL(c))
    raw.push(await viaSql(statements))
  }
  const a = median(api)
  const r = median(raw)
  console.log(`| ${c.name} | ${a.toFixed(1)} | ${r.toFixed(1)} | ${(a / r).toFixed(2)} |`)
}
console.log(`\npeak RSS ${memory.peakMiB()} MiB`)

memory.stop()
await service.stop()
