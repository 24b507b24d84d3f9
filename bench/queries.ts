/**
 * Dashboard latency and how it grows with data: every panel and variable of the Grafana
 * dashboards, asked exactly as Grafana's Infinity plugin asks (the dashboards' own queries,
 * "All" selected, through the provisioned datasource's grafana token on behalf of the signed-in
 * user), and the operations a frontend calls on page load, as an admin (no organization) and as
 * an organization's owner, over the last 7 and the last 30 days; p50 after one warm-up, with the
 * response cache off (what a refresh costs when nothing is cached). Beside each, its reference
 * measured in the same run: the statements the same request sends with ROLLUPS=off (the raw
 * table), replayed straight to the engine. With `--interpreted`, each request is also asked of the
 * same service run by graphql-js's execution (no compiled queries), in turn with the service's.
 *
 *   npm run bench:queries [-- --rows 1000000,10000000,50000000 --runs 5 --reference-runs 3]
 *   npm run bench:queries -- --rows 100000000 --reference-runs 0   (no raw-table reference)
 *   npm run bench:queries -- --rows 10000000 --only '^(Productivity|productivity)' --name productivity
 *   npm run bench:queries -- --rows 100000000 --viewers 'org owner' --reference-runs 0 --name 'org owner at 100M'
 *   npm run bench:queries -- --rows 10000000 --reference-runs 0 --interpreted --name 'compiled queries'
 *
 * Writes its section of bench/RESULTS.md (with `--only`, the requests whose panel matches the
 * regular expression, or with `--viewers`, some of the viewers only: in a section of their own
 * named by `--name`).
 */
import { rm } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import { addOrganization, addToken, setMembership } from '../src/auth/account-admin.js'
import { updateAccounts } from '../src/auth/accounts-file.js'
import { hashToken } from '../src/auth/tokens.js'
import { createMetrics } from '../src/observability/metrics.js'
import { createStore, type Statement } from '../src/store/index.js'
import { createYogaServer } from '../src/pipeline/yoga.js'
import { dashboardFiles, loadDashboard } from '../scripts/dashboards/dashboards.js'
import { refreshRequests, type SiteRequest } from '../scripts/dashboards/refresh.js'
import { startTestApp, tempDir, type TestApp } from '../tests/support/app.js'
import { basic } from '../tests/support/fixtures.js'
import {
  commitLine,
  loadSyntheticEvents,
  machineLine,
  median,
  MemorySampler,
  writeResultsSection,
} from './support.js'

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000,10000000' },
    runs: { type: 'string', default: '5' },
    'reference-runs': { type: 'string', default: '3' },
    only: { type: 'string' },
    /** Comma-separated viewer names (`admin`, `org owner`): admin's idle gaps take minutes at 100M. */
    viewers: { type: 'string', default: 'admin,org owner' },
    /** Also time each request with graphql-js's execution, in turn with the compiled one's. */
    interpreted: { type: 'boolean', default: false },
    name: { type: 'string', default: 'some panels' },
  },
})
/** Only the requests whose panel matches (`--only`); all by default. */
const ONLY = values.only === undefined ? null : new RegExp(values.only)
const SIZES = (values.rows ?? '').split(',').map(Number)
const RUNS = Number(values.runs)
const REFERENCE_RUNS = Number(values['reference-runs'])

const DAY = 86_400_000
/** The dashboards' "now": not on any cell boundary, as a real `to` never is. */
const NOW = Date.UTC(2024, 1, 1, 13, 37, 21, 456)
const SPAN = 31 * DAY
const RANGES = [
  { name: '7 d', ms: 7 * DAY },
  { name: '30 d', ms: 30 * DAY },
]
const GRAFANA_TOKEN = 'aat_bench-grafana-token-0123456789abcdefgh'
const GRAFANA_ENV = { ANALYTICS_URL: 'http://bench', ANALYTICS_GRAFANA_TOKEN: GRAFANA_TOKEN }

interface Viewer {
  readonly name: string
  /** Who it is, as the results say. */
  readonly described: string
  /** Grafana login (the dashboards act for it) and its organization variable. */
  readonly login: string
  readonly org: string
  /** Headers of the frontend's own requests. */
  readonly headers: Record<string, string>
}

const ALL_VIEWERS: Viewer[] = [
  {
    name: 'admin',
    described: '`admin` without an organization',
    login: 'admin',
    org: '',
    headers: { authorization: basic('admin') },
  },
  {
    name: 'org owner',
    described: 'the owner of org1',
    login: 'olivia',
    org: 'org1',
    headers: { authorization: basic('olivia'), 'x-organization': 'org1' },
  },
]

const VIEWER_NAMES = (values.viewers ?? '').split(',').map((name) => name.trim())
const unknownViewer = VIEWER_NAMES.find((name) => !ALL_VIEWERS.some((v) => v.name === name))
if (unknownViewer !== undefined) {
  throw new Error(`--viewers: no viewer "${unknownViewer}" (${ALL_VIEWERS.map((v) => v.name).join(', ')})`)
}
const VIEWERS = ALL_VIEWERS.filter((v) => VIEWER_NAMES.includes(v.name))
const INTERPRETED = values.interpreted === true
/** Some of the requests only, or other columns: a section of their own. */
const PART = ONLY !== null || VIEWERS.length < ALL_VIEWERS.length || INTERPRETED

interface Case {
  readonly panel: string
  readonly viewer: string
  readonly range: string
  readonly request: () => Request
}

function dashboardCases(viewer: Viewer): Case[] {
  const cases: Case[] = []
  const seen = new Set<string>()
  for (const dashboard of dashboardFiles().map(loadDashboard)) {
    const byRange = RANGES.map((range) => ({
      range,
      requests: refreshRequests(dashboard, {
        fromMs: NOW - range.ms,
        toMs: NOW,
        login: viewer.login,
        org: viewer.org,
        env: GRAFANA_ENV,
      }),
    }))
    // Each panel over each range, in the dashboard's order.
    const sites = byRange[0]?.requests.length ?? 0
    for (let i = 0; i < sites; i++) {
      for (const { range, requests } of byRange) {
        const { title, request: built } = requests[i] as SiteRequest
        // Variables repeat across dashboards: each distinct request once.
        const key = JSON.stringify([built.url, built.body, range.name])
        if (seen.has(key)) continue
        seen.add(key)
        cases.push({
          panel: title,
          viewer: viewer.name,
          range: range.name,
          request: () =>
            new Request(built.url, {
              method: built.method,
              headers: built.headers,
              body: JSON.stringify(built.body),
            }),
        })
      }
    }
  }
  return cases
}

/** A user of org1 (synthetic users u with u % 4 = 0) and the job it worked on an hour before now. */
const USER = 4
const JOB = ((USER * 37 + Math.floor((NOW - 3_600_000) / (4 * 3_600_000))) % 2000) + 1

function frontendCases(viewer: Viewer): Case[] {
  const cases: Case[] = []
  for (const range of RANGES) {
    const from = new Date(NOW - range.ms).toISOString()
    const to = new Date(NOW).toISOString()
    const ops: [string, string][] = [
      [
        'frontend: job details',
        `{ job(id: "${JOB}") { id workingTime { milliseconds hours actions } firstEventAt lastEventAt eventCount
           activity(interval: "1h", from: "${from}", to: "${to}") { time count } events(first: 5) { edges { node { id scope } } } } }`,
      ],
      [
        'frontend: task details',
        `{ task(id: "${(JOB % 200) + 1}") { id workingTime { milliseconds actions } firstEventAt lastEventAt eventCount } }`,
      ],
      [
        'frontend: project details',
        `{ project(id: "${(JOB % 20) + 1}") { id workingTime { milliseconds actions } firstEventAt lastEventAt eventCount } }`,
      ],
      [
        'frontend: user details',
        `{ user(id: "${USER}") { id name workingTime(from: "${from}", to: "${to}") { milliseconds hours actions } firstEventAt lastEventAt eventCount } }`,
      ],
      [
        'frontend: exceptions, first page',
        `{ exceptions(filter: { from: "${from}", to: "${to}" }, first: 50) { edges { node { id timestamp userName message stack } } pageInfo { hasNextPage endCursor } } }`,
      ],
      [
        'frontend: events, first page',
        `{ events(filter: { from: "${from}", to: "${to}" }, first: 50) { edges { node { id timestamp scope userName jobId payload } } pageInfo { hasNextPage endCursor } } }`,
      ],
      [
        'frontend: jobs with working time',
        `{ jobs(filter: { from: "${from}", to: "${to}" }, first: 100) { id workingTime { milliseconds actions } lastEventAt } }`,
      ],
    ]
    // Productivity at another idle cutoff and the gaps between events: recomputed from the raw
    // events and heartbeats (the aim is 1 s for an organization's week, not 100 ms).
    const filter = `{ from: "${from}", to: "${to}" }`
    ops.push(
      [
        'productivity: per user at 300 s (recomputed)',
        `{ productivity(filter: ${filter}, groupBy: [USER], idleSeconds: 300) { userId workingHours objectsPerHour } }`,
      ],
      [
        'productivity: idle gaps per user',
        `{ idleGaps(filter: ${filter}, groupBy: [USER]) { userId buckets { gaps seconds } workingHoursAt { idleSeconds hours } } }`,
      ],
      [
        'productivity: per user and day (default cutoff)',
        `{ productivity(filter: ${filter}, groupBy: [USER, DAY], first: 1000) { userId period manualObjectsCreated workingHours } }`,
      ],
    )
    for (const [panel, query] of ops) {
      cases.push({
        panel,
        viewer: viewer.name,
        range: range.name,
        request: () =>
          new Request('http://bench/graphql', {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...viewer.headers },
            body: JSON.stringify({ query }),
          }),
      })
    }
  }
  return cases
}

async function timeRequest(
  app: { fetch: (request: Request) => Response | Promise<Response> },
  c: Case,
): Promise<number> {
  const t0 = performance.now()
  const res = await app.fetch(c.request())
  const text = await res.text()
  lastBytes = text.length
  const body = JSON.parse(text) as { errors?: unknown }
  if (res.status !== 200 || body.errors) {
    throw new Error(`${c.panel} (${c.viewer}, ${c.range}): ${res.status} ${JSON.stringify(body.errors)}`)
  }
  return performance.now() - t0
}

/** With `--interpreted`, two more columns: graphql-js's p50 and the compiled one's share of it. */
const INTERPRETED_HEAD = INTERPRETED ? ' graphql-js p50 ms | compiled ÷ graphql-js |' : ''
const INTERPRETED_RULE = INTERPRETED ? '---|---|' : ''
const interpretedCells = (row: { ms: number; interpretedMs: number }) =>
  INTERPRETED ? ` ${shown(row.interpretedMs)} | ${(row.ms / row.interpretedMs).toFixed(2)} |` : ''

/** The size of the last answer timeRequest read. */
let lastBytes = 0

/** A figure to one decimal; a dash where there is none (no reference measured). */
const shown = (value: number) => (Number.isFinite(value) ? value.toFixed(1) : '–')

async function timeStatements(app: TestApp, statements: readonly Statement[]): Promise<number> {
  const t0 = performance.now()
  for (const statement of statements) await app.sql.rows(statement)
  return performance.now() - t0
}

interface Row {
  readonly key: string
  readonly panel: string
  readonly viewer: string
  readonly range: string
  readonly ms: number
  readonly rawMs: number
  /** With `--interpreted`: p50 of the same requests run by graphql-js's execution. */
  readonly interpretedMs: number
  /** The answer's JSON, bytes. */
  readonly bytes: number
}

async function measure(rows: number): Promise<{ results: Row[]; setup: string }> {
  const dir = await tempDir('aa-bench-queries-')
  // Response cache off (a refresh computed), no rate limit (the bench asks many times a minute).
  const env = { QUERY_TIMEOUT_MS: '600000', RESPONSE_CACHE_TTL_MS: '0', RATE_LIMIT_GRAPHQL: '0' }
  const service = await startTestApp(env, { dir })
  await updateAccounts(service.config.accountsFile, (start) => {
    let data = start
    for (const id of ['1', '2', '3', '4']) data = addOrganization(data, { slug: `org${id}`, id })
    data = setMembership(data, 'org1', 'olivia', 'owner')
    data = addToken(data, {
      username: 'admin',
      kind: 'grafana',
      name: 'grafana',
      hash: hashToken(GRAFANA_TOKEN),
    }).data
    return { data, result: undefined }
  })
  await service.app.services.directory.refresh(true)

  const setup = await loadSyntheticEvents(service, { rows, fromMs: NOW - SPAN, toMs: NOW })
  console.log(setup)

  // The reference: the same service over a store that reads the raw table only (ROLLUPS=off),
  // on the same data (one process may hold a data directory once: a second pipeline, not a
  // second app).
  const captured: Statement[] = []
  const rawStore = createStore(service.config.store, {
    rollups: false,
    observe: (s) => void captured.push(s),
  })
  const rawYoga = createYogaServer({ ...service.app.services, store: rawStore, metrics: createMetrics() })
  const interpretedYoga = INTERPRETED
    ? createYogaServer({ ...service.app.services, metrics: createMetrics() }, { compiledQueries: false })
    : null
  const results: Row[] = []
  for (const viewer of VIEWERS) {
    const cases = [...dashboardCases(viewer), ...frontendCases(viewer)]
    for (const c of cases.filter((c) => ONLY === null || ONLY.test(c.panel))) {
      // Twice: a query is compiled the second time it is asked (src/pipeline/compiled-queries.ts).
      await timeRequest(service.app, c) // warm-up
      await timeRequest(service.app, c)
      if (interpretedYoga) await timeRequest(interpretedYoga, c)
      const times: number[] = []
      const interpretedTimes: number[] = []
      for (let i = 0; i < RUNS; i++) {
        times.push(await timeRequest(service.app, c))
        if (interpretedYoga) interpretedTimes.push(await timeRequest(interpretedYoga, c))
      }
      const bytes = lastBytes
      const rawTimes: number[] = []
      // `--reference-runs 0`: no reference at all (at 100M, the raw table's requests take minutes).
      if (REFERENCE_RUNS > 0) {
        await timeRequest(rawYoga, c)
        captured.length = 0
        await timeRequest(rawYoga, c)
        const statements = [...captured]
        for (let i = 0; i < REFERENCE_RUNS; i++) rawTimes.push(await timeStatements(service, statements))
      }
      const row = {
        key: `${c.panel}|${c.viewer}|${c.range}`,
        panel: c.panel,
        viewer: c.viewer,
        range: c.range,
        ms: median(times),
        rawMs: median(rawTimes),
        interpretedMs: median(interpretedTimes),
        bytes,
      }
      results.push(row)
      console.log(
        `| ${row.panel} | ${row.viewer} | ${row.range} | ${row.ms.toFixed(1)} | ${shown(row.rawMs)} | ${shown(row.rawMs / row.ms)} |${interpretedCells(row)}`,
      )
    }
  }
  await rawStore.close()
  await service.stop()
  await rm(dir, { recursive: true, force: true })
  return { results, setup }
}

const memory = new MemorySampler()
console.log(`machine: ${machineLine()}`)
const bySize = new Map<number, { results: Row[]; setup: string }>()
for (const rows of SIZES) {
  console.log(
    `\n${rows.toLocaleString('en-US')} events\n| panel | viewer | range | p50 ms | raw-table SQL ms | raw / p50 |${INTERPRETED_HEAD}\n|---|---|---|---|---|---|${INTERPRETED_RULE}`,
  )
  bySize.set(rows, await measure(rows))
}
memory.stop()

const label = (n: number) => (n >= 1e6 ? `${n / 1e6}M` : n.toLocaleString('en-US'))
const largest = SIZES[SIZES.length - 1] ?? 0
const keys = [...new Map((bySize.get(largest)?.results ?? []).map((r) => [r.key, r])).values()]
const only = [
  ...(ONLY === null ? [] : [` --only '${ONLY.source}'`]),
  ...(VIEWERS.length < ALL_VIEWERS.length ? [` --viewers '${VIEWER_NAMES.join(',')}'`] : []),
  ...(REFERENCE_RUNS === 3 ? [] : [` --reference-runs ${REFERENCE_RUNS}`]),
  ...(INTERPRETED ? [' --interpreted'] : []),
  ...(PART ? [` --name '${values.name}'`] : []),
].join('')
const lines: string[] = [
  `## Queries${PART ? `: ${values.name}` : ''} (\`npm run bench:queries -- --rows ${SIZES.join(',')} --runs ${RUNS}${only}\`)`,
  '',
  `- Machine: ${machineLine()}.`,
  `- Date: ${new Date().toISOString().slice(0, 10)}; commit ${commitLine()}; peak RSS ${memory.peakMiB()} MiB.`,
  '- Data: synthetic events (`src/store/synthetic-events.ts`: 4 organizations, 100 users each on one job at a time, 2000 jobs) over the 31 days before the dashboards\' "now", ' +
    'merged to final parts. Requests: every panel and variable of `grafana/dashboards/` as Infinity sends it (the dashboards\' own queries, "All" selected, ' +
    "$__interval_ms as Grafana rounds range ÷ 1000 points or the panel's maxDataPoints, the grafana token acting for the viewer), and the frontend's page-load operations; " +
    `as ${VIEWERS.map((v) => v.described).join(' and as ')}; p50 of the runs after one warm-up, response cache off; ` +
    '`NODE_ENV=production`, as the Dockerfile runs the service.',
  ...(REFERENCE_RUNS > 0
    ? [
        '- Reference: the statements the same request sends with `ROLLUPS=off` (raw table), replayed straight to the engine in the same run.',
      ]
    : []),
  ...(INTERPRETED
    ? [
        '- graphql-js: the same requests asked of the same service with compiled queries off, in turn with it, after one warm-up.',
      ]
    : []),
  ...[...bySize].map(([rows, { setup }]) => `- ${label(rows)}: ${setup}.`),
  '',
  `| panel | viewer | range | ${SIZES.map((s) => `p50 ms at ${label(s)}`).join(' | ')} | raw-table SQL ms at ${label(largest)} | raw / p50 | answer KB |${INTERPRETED_HEAD}`,
  `|---|---|---|${SIZES.map(() => '---').join('|')}|---|---|---|${INTERPRETED_RULE}`,
]
for (const row of keys) {
  const at = SIZES.map(
    (s) =>
      bySize
        .get(s)
        ?.results.find((r) => r.key === row.key)
        ?.ms.toFixed(1) ?? '–',
  )
  lines.push(
    `| ${row.panel} | ${row.viewer} | ${row.range} | ${at.join(' | ')} | ${shown(row.rawMs)} | ${shown(row.rawMs / row.ms)} | ${(row.bytes / 1024).toFixed(0)} |${interpretedCells(row)}`,
  )
}
for (const rows of SIZES) {
  const results = bySize.get(rows)?.results ?? []
  const over = results.filter((r) => r.ms > 100)
  lines.push(
    '',
    `At ${label(rows)}: ${results.length - over.length} of ${results.length} requests at p50 ≤ 100 ms${over.length > 0 ? `; over: ${over.map((r) => `${r.panel} (${r.viewer}, ${r.range}) ${r.ms.toFixed(0)} ms`).join('; ')}` : ''}.`,
  )
}
const section = PART ? `queries-${values.name.replace(/\W+/g, '-')}` : 'queries'
await writeResultsSection(section, lines.join('\n'))
console.log(`\nwrote bench/RESULTS.md (${section})`)
