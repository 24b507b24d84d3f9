/**
 * The dashboards' variables (`filterOptions`) answered from the read shared by an organization's
 * viewers (src/store/filter-options.ts: one statement per organization and range, grouped by
 * person) against a scan for each request (what every variable cost before), in one run on the
 * same data: each variable request of the dashboards as Grafana's Infinity sends it, for an admin
 * outside any organization, an organization's owner and one of its workers, over 7 and 30 days,
 * the two services asked in turn, response cache off, a moving "now" so no read is reused.
 *
 *   npm run bench:filter-options [-- --rows 10000000 --runs 9]
 *
 * Prints and writes its section of bench/RESULTS.md: p50 of each and their ratio.
 */
import { parseArgs } from 'node:util'
import { addOrganization, addToken, addUser, setMembership } from '../src/auth/account-admin.js'
import { updateAccounts } from '../src/auth/accounts-file.js'
import { hashPassword } from '../src/auth/passwords.js'
import { hashToken } from '../src/auth/tokens.js'
import { createMetrics } from '../src/observability/metrics.js'
import { createYogaServer } from '../src/pipeline/yoga.js'
import { createStore } from '../src/store/index.js'
import path from 'node:path'
import { DASHBOARDS_DIR, loadDashboard } from '../scripts/dashboards/dashboards.js'
import { refreshRequests, type SiteRequest } from '../scripts/dashboards/refresh.js'
import { startTestApp } from '../tests/support/app.js'
import { commitLine, loadSyntheticEvents, machineLine, median, writeResultsSection } from './support.js'

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '10000000' },
    runs: { type: 'string', default: '9' },
  },
})
const ROWS = Number(values.rows)
const RUNS = Number(values.runs)
const DAY = 86_400_000
/** The dashboards' "now" of the first run; each run asks a millisecond later. */
const NOW = Date.UTC(2024, 1, 1, 13, 37, 21, 456)
const TOKEN = 'aat_bench-options-grafana-token-0123456789'
const ENV = { ANALYTICS_URL: 'http://bench', ANALYTICS_GRAFANA_TOKEN: TOKEN }
/** Synthetic user 4 works in org1 (synthetic users u with u % 4 = 0 are org1's). */
const VIEWERS = [
  { name: 'admin', login: 'admin', org: '' },
  { name: 'org owner', login: 'olivia', org: 'org1' },
  { name: 'worker', login: 'user4', org: 'org1' },
]
const RANGES = [
  { name: '7 d', ms: 7 * DAY },
  { name: '30 d', ms: 30 * DAY },
]

const service = await startTestApp({ RESPONSE_CACHE_TTL_MS: '0', RATE_LIMIT_GRAPHQL: '0' })
const passwordHash = await hashPassword(`unused-${Math.random()}`)
await updateAccounts(service.config.accountsFile, (start) => {
  let data = start
  for (const id of ['1', '2', '3', '4']) data = addOrganization(data, { slug: `org${id}`, id })
  data = setMembership(data, 'org1', 'olivia', 'owner')
  data = addUser(data, { username: 'user4', id: '4', role: 'worker', passwordHash })
  data = setMembership(data, 'org1', 'user4', 'worker')
  data = addToken(data, { username: 'admin', kind: 'grafana', name: 'grafana', hash: hashToken(TOKEN) }).data
  return { data, result: undefined }
})
await service.app.services.directory.refresh(true)
const setup = await loadSyntheticEvents(service, { rows: ROWS, fromMs: NOW - 31 * DAY, toMs: NOW })
console.log(setup)

// Before: the same service over a store that scans for every filter, on the same data.
// Its own passes off (the service's feed the tables); it reads the rollups once their backfill is known.
const scanning = createStore({ ...service.config.store, rollupPassMs: 0 }, { sharedFilterOptions: false })
await scanning.migrate()
await scanning.rollups.whenReady()
const before = createYogaServer({ ...service.app.services, store: scanning, metrics: createMetrics() })
const services = { shared: service.app, scanning: before }

const dashboard = loadDashboard(path.join(DASHBOARDS_DIR, 'management.json'))
/** The Organization variable and the variables depending on it (one request: they are identical). */
function variableRequests(login: string, org: string, fromMs: number, toMs: number) {
  const requests = refreshRequests(dashboard, { fromMs, toMs, login, org, env: ENV })
  return ['variable org', 'variable users'].map((title) => {
    const site = requests.find((r) => r.title === title)
    if (!site) throw new Error(`management.json has no ${title}`)
    return { title, request: site.request }
  })
}

async function ask(
  app: { fetch: (r: Request) => Response | Promise<Response> },
  built: SiteRequest['request'],
) {
  const t0 = performance.now()
  const res = await app.fetch(
    new Request(built.url, {
      method: built.method,
      headers: built.headers,
      body: JSON.stringify(built.body),
    }),
  )
  const body = (await res.json()) as { errors?: unknown; data?: unknown }
  if (res.status !== 200 || body.errors) throw new Error(`${res.status} ${JSON.stringify(body.errors)}`)
  return { ms: performance.now() - t0, answer: JSON.stringify(body.data) }
}

interface Row {
  readonly variable: string
  readonly viewer: string
  readonly range: string
  readonly shared: number
  readonly scanning: number
}
const rows: Row[] = []
let tick = 0
console.log('| variable | viewer | range | shared read p50 ms | scan p50 ms | shared ÷ scan |')
for (const viewer of VIEWERS) {
  for (const range of RANGES) {
    for (const variable of ['variable org', 'variable users']) {
      const times = { shared: [] as number[], scanning: [] as number[] }
      for (let i = 0; i <= RUNS; i++) {
        const now = NOW + tick++
        const built = variableRequests(viewer.login, viewer.org, now - range.ms, now).find(
          (v) => v.title === variable,
        )
        if (!built) throw new Error(variable)
        // Alternating which goes first, so neither always finds the other's pages cached.
        const order = i % 2 === 0 ? (['shared', 'scanning'] as const) : (['scanning', 'shared'] as const)
        const answers: Record<string, string> = {}
        for (const which of order) {
          const { ms, answer } = await ask(services[which], built.request)
          answers[which] = answer
          if (i > 0) times[which].push(ms) // the first round warms up
        }
        if (answers.shared !== answers.scanning)
          throw new Error(`${variable} ${viewer.name}: the answers differ`)
      }
      const row = {
        variable,
        viewer: viewer.name,
        range: range.name,
        shared: median(times.shared),
        scanning: median(times.scanning),
      }
      rows.push(row)
      console.log(
        `| ${row.variable} | ${row.viewer} | ${row.range} | ${row.shared.toFixed(1)} | ${row.scanning.toFixed(1)} | ${(row.shared / row.scanning).toFixed(2)} |`,
      )
    }
  }
}
await scanning.close()
await service.stop()

await writeResultsSection(
  'filter-options',
  [
    `## Dashboard variables: the shared read against a scan each (\`npm run bench:filter-options -- --rows ${ROWS} --runs ${RUNS}\`)`,
    '',
    `- Machine: ${machineLine()}.`,
    `- Date: ${new Date().toISOString().slice(0, 10)}; commit ${commitLine()}.`,
    `- Data: ${setup}.`,
    "- Requests: management.json's Organization variable and the variables depending on it (identical requests), as Infinity sends them through the grafana token for the viewer, over the last 7 and 30 days; each run a millisecond later (no read reused), response cache off. The two services (this build; the same build with `sharedFilterOptions: false`, a scan per request as before) on the same data, asked in turn, alternating which goes first; p50 of the runs after one warm-up; both answers compared (equal).",
    '',
    '| variable | viewer | range | shared read p50 ms | scan p50 ms | shared ÷ scan |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows.map(
      (r) =>
        `| ${r.variable} | ${r.viewer} | ${r.range} | ${r.shared.toFixed(1)} | ${r.scanning.toFixed(1)} | ${(r.shared / r.scanning).toFixed(2)} |`,
    ),
  ].join('\n'),
)
