/**
 * A thousand Grafana viewers (issue 21): `--viewers` delegated users spread over 4 organizations
 * with CVAT's roles, each with CVAT's three dashboards (All events, Management, Monitoring) open
 * and auto-refreshing every `--interval` seconds for `--seconds`, against `--rows` synthetic
 * events. Every variable and panel is asked as Infinity asks it, through the provisioned
 * datasource's one grafana token acting for the viewer (`X-Grafana-User`), with Grafana's moving
 * "now" (scripts/dashboards/refresh.ts; the load from bench/viewers-client.ts in child processes).
 * The service runs in this process on a real port with production's defaults: response cache on
 * (RESPONSE_CACHE_TTL_MS 5 s), rate limits as shipped (RATE_LIMIT_GRAPHQL 1800 per user a minute).
 *
 *   npm run bench:viewers [-- --rows 10000000 --viewers 1000 --interval 10 --seconds 120 --clients 1]
 *
 * Prints requests, answers, failures by status (429 apart), latency percentiles overall and per
 * panel, what the response cache did (from /metrics), the service's CPU and memory; writes its
 * section of bench/RESULTS.md.
 */
import { fork } from 'node:child_process'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { addOrganization, addToken, addUser, setMembership } from '../src/auth/account-admin.js'
import type { OrgRole } from '../src/auth/accounts-data.js'
import { updateAccounts } from '../src/auth/accounts-file.js'
import { hashPassword } from '../src/auth/passwords.js'
import { hashToken } from '../src/auth/tokens.js'
import { DASHBOARDS_DIR, loadDashboard } from '../scripts/dashboards/dashboards.js'
import { refreshRequests } from '../scripts/dashboards/refresh.js'
import { startTestApp, type TestApp } from '../tests/support/app.js'
import { SCRAPER } from '../tests/support/fixtures.js'
import {
  commitLine,
  loadSyntheticEvents,
  machineLine,
  MemorySampler,
  percentile,
  writeResultsSection,
} from './support.js'
import type { SiteOutcome, ViewersJob, ViewersResult } from './viewers-client.js'

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '10000000' },
    viewers: { type: 'string', default: '1000' },
    interval: { type: 'string', default: '10' },
    seconds: { type: 'string', default: '120' },
    clients: { type: 'string', default: '1' },
  },
})
const ROWS = Number(values.rows)
const VIEWERS = Number(values.viewers)
const INTERVAL_S = Number(values.interval)
const SECONDS = Number(values.seconds)
const CLIENTS = Number(values.clients)
const COMMAND = `npm run bench:viewers -- --rows ${ROWS} --viewers ${VIEWERS} --interval ${INTERVAL_S} --seconds ${SECONDS} --clients ${CLIENTS}`

const DAY = 86_400_000
/** CVAT's three dashboards (grafana/README.md): the ones its users have. */
const DASHBOARDS = ['all-events.json', 'management.json', 'monitoring.json']
const TOKEN = 'aat_bench-viewers-grafana-token-0123456789'
const ORGS = [1, 2, 3, 4]
/** The datasource's timeout (grafana/provisioning: timeoutInSeconds). */
const TIMEOUT_MS = 60_000

interface ViewerAccount {
  readonly login: string
  readonly id: string
  readonly org: number
  readonly role: OrgRole
}

/**
 * The viewers, a quarter in each organization, as a CVAT organization has them: one owner, 2 %
 * maintainers, 8 % supervisors, the rest workers. The first workers of each organization are the
 * synthetic events' annotators of that organization (`user<N>`, id N, N mod 4 + 1 = org; ids the
 * test world holds are left out), so their dashboards show their own work; the others have no
 * events of their own.
 */
function viewerAccounts(count: number, takenIds: ReadonlySet<string>): ViewerAccount[] {
  const accounts: ViewerAccount[] = []
  for (const org of ORGS) {
    const size = Math.floor(count / ORGS.length) + (org <= count % ORGS.length ? 1 : 0)
    const maintainers = Math.max(1, Math.round(size * 0.02))
    const supervisors = Math.max(1, Math.round(size * 0.08))
    const annotators = Array.from({ length: 100 }, (_, i) => i + 1)
      .filter((u) => (u % 4) + 1 === org && !takenIds.has(String(u)))
      .map(String)
    for (let k = 0; k < size; k++) {
      const role: OrgRole =
        k === 0
          ? 'owner'
          : k <= maintainers
            ? 'maintainer'
            : k <= maintainers + supervisors
              ? 'supervisor'
              : 'worker'
      const annotator = role === 'worker' ? annotators.shift() : undefined
      const n = accounts.length
      accounts.push(
        annotator === undefined
          ? { login: `viewer${n}`, id: String(100_000 + n), org, role }
          : { login: `user${annotator}`, id: annotator, org, role },
      )
    }
  }
  return accounts
}

async function setUp(service: TestApp): Promise<ViewerAccount[]> {
  // Delegated users never sign in here: one password hash for all.
  const passwordHash = await hashPassword(`unused-${Math.random()}`)
  return updateAccounts(service.config.accountsFile, (start) => {
    let data = start
    for (const id of ORGS) data = addOrganization(data, { slug: `org${id}`, id: String(id) })
    data = addToken(data, {
      username: 'admin',
      kind: 'grafana',
      name: 'grafana',
      hash: hashToken(TOKEN),
    }).data
    const accounts = viewerAccounts(VIEWERS, new Set(data.users.map((u) => u.id)))
    for (const a of accounts) {
      data = addUser(data, {
        username: a.login,
        id: a.id,
        role: a.role === 'worker' ? 'worker' : 'user',
        passwordHash,
      })
      data = setMembership(data, `org${a.org}`, a.login, a.role)
    }
    return { data, result: accounts }
  })
}

interface Scraped {
  readonly hit: number
  readonly joined: number
  readonly miss: number
  /** Store statements run, and their seconds by statement name. */
  readonly statements: number
  readonly seconds: ReadonlyMap<string, number>
}

/** The response cache's counters and the store's statements, from /metrics. */
async function scrape(service: TestApp): Promise<Scraped> {
  const text = await (await service.request('GET', '/metrics', { headers: SCRAPER })).text()
  const sum = (pattern: RegExp) =>
    [...text.matchAll(pattern)].reduce((total, m) => total + Number(m[1] ?? 0), 0)
  const lookups = (result: string) =>
    sum(new RegExp(`^analytics_response_cache_lookups_total\\{result="${result}"\\} (\\S+)$`, 'gm'))
  const seconds = new Map<string, number>()
  for (const m of text.matchAll(
    /^analytics_store_statement_seconds_sum\{[^}]*statement="([^"]+)"[^}]*\} (\S+)$/gm,
  )) {
    seconds.set(m[1] ?? '', (seconds.get(m[1] ?? '') ?? 0) + Number(m[2]))
  }
  return {
    hit: lookups('hit'),
    joined: lookups('joined'),
    miss: lookups('miss'),
    statements: sum(/^analytics_store_statement_seconds_count\{[^}]*\} (\S+)$/gm),
    seconds,
  }
}

/**
 * The fewest answers a second the service must compute for these viewers, however well the cache
 * shares: viewers whom the access policy treats alike (an organization's owners and maintainers)
 * share each TTL window's answers, everyone else (supervisors and workers see their own events)
 * has answers of their own; each dashboard refresh asks its distinct requests once (the variables
 * that depend on the organization are one request).
 */
function demandPerSecond(ttlMs: number): { perSecond: number; sets: number; perRefresh: number[] } {
  const dashboards = DASHBOARDS.map((f) => loadDashboard(path.join(DASHBOARDS_DIR, f)))
  const perRefresh = dashboards.map(
    (d) =>
      new Set(
        refreshRequests(d, {
          fromMs: 0,
          toMs: 7 * DAY,
          login: 'someone',
          org: 'org1',
          env: { ANALYTICS_URL: 'http://service', ANALYTICS_GRAFANA_TOKEN: TOKEN },
        }).map((s) => JSON.stringify([s.request.url, s.request.body])),
      ).size,
  )
  const sets = new Map<string, number>()
  for (const a of accounts) {
    const key = a.role === 'owner' || a.role === 'maintainer' ? `org${a.org}` : a.login
    sets.set(key, (sets.get(key) ?? 0) + 1)
  }
  const windows = Math.max(1, Math.ceil((INTERVAL_S * 1000) / ttlMs))
  const refreshesPerInterval = [...sets.values()].reduce((t, n) => t + Math.min(n, windows), 0)
  const answers = refreshesPerInterval * perRefresh.reduce((a, b) => a + b, 0)
  return { perSecond: answers / INTERVAL_S, sets: sets.size, perRefresh }
}

function runClient(job: ViewersJob): Promise<ViewersResult> {
  return new Promise((resolve, reject) => {
    const child = fork(path.join(import.meta.dirname, 'viewers-client.ts'), [], {
      execArgv: ['--import', 'tsx'],
    })
    child.on('message', (message: { ready?: boolean } | ViewersResult) => {
      if ('ready' in message) return
      resolve(message as ViewersResult)
      child.kill()
    })
    child.once('error', reject)
    child.once(
      'exit',
      (code) => code !== 0 && code !== null && reject(new Error(`a viewers client exited with ${code}`)),
    )
    child.send(job)
  })
}

const loadAtStart = os
  .loadavg()
  .map((l) => l.toFixed(1))
  .join(', ')
console.log(`machine: ${machineLine()}`)
const service = await startTestApp()
const accounts = await setUp(service)
await service.app.services.directory.refresh(true)
const now = Date.now()
const setup = await loadSyntheticEvents(service, { rows: ROWS, fromMs: now - 31 * DAY, toMs: now })
console.log(setup)
const { url } = await service.app.start()

const before = await scrape(service)
const memory = new MemorySampler(200)
const cpu = process.cpuUsage()
const startAt = Date.now() + 5_000 // the clients' start-up (tsx, the dashboards) before the first refresh
const results = await Promise.all(
  Array.from({ length: CLIENTS }, (_, index) =>
    runClient({
      url,
      token: TOKEN,
      viewers: accounts
        .filter((_, i) => i % CLIENTS === index)
        .map((a) => ({ login: a.login, org: `org${a.org}` })),
      slot: { index, of: CLIENTS },
      dashboards: DASHBOARDS.map((f) => path.join(DASHBOARDS_DIR, f)),
      intervalMs: INTERVAL_S * 1000,
      seconds: SECONDS,
      startAt,
      timeoutMs: TIMEOUT_MS,
    }),
  ),
)
const usedCpu = process.cpuUsage(cpu)
const wallS = (Date.now() - startAt) / 1000
const peakMiB = memory.peakMiB()
memory.stop()
const after = await scrape(service)
const rateLimit = service.config.rateLimitGraphqlPerMinute
const ttlMs = service.config.responseCacheTtlMs
await service.stop()

// Figures.
const sites = new Map<string, SiteOutcome>()
for (const r of results) {
  for (const [title, o] of Object.entries(r.sites)) {
    const into = sites.get(title) ?? { latencies: [], outcomes: {} }
    into.latencies.push(...o.latencies)
    for (const [k, n] of Object.entries(o.outcomes)) into.outcomes[k] = (into.outcomes[k] ?? 0) + n
    sites.set(title, into)
  }
}
const sum = (f: (r: ViewersResult) => number) => results.reduce((t, r) => t + f(r), 0)
const requests = sum((r) => r.requests)
const outcomes: Record<string, number> = {}
for (const o of sites.values())
  for (const [k, n] of Object.entries(o.outcomes)) outcomes[k] = (outcomes[k] ?? 0) + n
const answeredOf = (o: SiteOutcome) => o.latencies.length
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b)
const quantiles = (xs: number[]) => {
  const s = sorted(xs)
  return {
    p50: percentile(s, 0.5),
    p95: percentile(s, 0.95),
    p99: percentile(s, 0.99),
    max: s.at(-1) ?? Number.NaN,
  }
}
const ms = (n: number) => (Number.isNaN(n) ? '–' : n.toFixed(0))
const all = [...sites.values()]
const panels = [...sites].filter(([t]) => !t.startsWith('variable ')).map(([, o]) => o)
const overall = quantiles(all.flatMap((o) => o.latencies))
const panelQ = quantiles(panels.flatMap((o) => o.latencies))
const answered = all.reduce((t, o) => t + answeredOf(o), 0)
const dueOf = (o: SiteOutcome) => Object.values(o.outcomes).reduce((a, b) => a + b, 0)
const sentOf = (o: SiteOutcome) =>
  Object.entries(o.outcomes).reduce((t, [k, n]) => (k.startsWith('not sent') ? t : t + n), 0)
const panelRequests = panels.reduce((t, o) => t + dueOf(o), 0)
const panelAnswered = panels.reduce((t, o) => t + answeredOf(o), 0)
const tooMany = outcomes['429'] ?? 0
const failures = Object.entries(outcomes)
  .filter(([k]) => k !== '200' && k !== '429')
  .map(([k, n]) => `${k}: ${n.toLocaleString('en-US')}`)
const hits = after.hit - before.hit
const joined = after.joined - before.joined
const misses = after.miss - before.miss
const lookups = hits + joined + misses
const statements = after.statements - before.statements
const cpuS = (usedCpu.user + usedCpu.system) / 1e6
const minutes = SECONDS / 60
const refreshes = sum((r) => r.refreshes)
const overlapping = sum((r) => r.overlapping)
const maxPerViewer = Math.max(...results.map((r) => r.maxPerViewer))
const roles = Object.entries(
  accounts.reduce<Record<string, number>>((t, a) => ({ ...t, [a.role]: (t[a.role] ?? 0) + 1 }), {}),
)
  .map(([r, n]) => `${n} ${r}s`)
  .join(', ')
const annotators = accounts.filter((a) => a.login.startsWith('user')).length
const demand = demandPerSecond(ttlMs)
const cpuPerAnswerMs = (1000 * cpuS) / Math.max(1, misses)
const slowest = [...after.seconds]
  .map(([name, total]) => [name, total - (before.seconds.get(name) ?? 0)] as const)
  .sort((a, b) => b[1] - a[1])
  .slice(0, 6)

const held = {
  answered: panelAnswered === panelRequests,
  p99: panelQ.p99 <= 500,
  no429: tooMany === 0,
}
const lines = [
  `## A thousand viewers (\`${COMMAND}\`)`,
  '',
  `- Machine: ${machineLine()}; load average ${loadAtStart} when it started. The machine is shared with other engineers' work (test suites, benches): absolute times move with that load.`,
  `- Date: ${new Date().toISOString().slice(0, 10)}; commit ${commitLine()}; \`NODE_ENV=production\`.`,
  `- Data: ${setup}.`,
  `- Viewers: ${VIEWERS.toLocaleString('en-US')} accounts over 4 organizations (${roles}; ${annotators} of the workers are the synthetic annotators and see their own work), each a Grafana login the datasource's one grafana token acts for (\`X-Grafana-User\`). ` +
    `Each has ${DASHBOARDS.map((d) => d.replace('.json', '')).join(', ')} open (their default "last 7 days", its organization selected, "All" elsewhere), refreshing every ${INTERVAL_S} s for ${SECONDS} s, the (viewer, dashboard) pairs staggered over one interval; ` +
    'a refresh asks the Organization variable, then the variables depending on it, then every panel at once, with Grafana\'s moving "now"; a refresh that finds the previous one still running cancels it (superseded); a request waits at most the datasource\'s 60 s (timeout), and what still runs 60 s after the last refresh is cut. ' +
    `Load from ${CLIENTS} child process${CLIENTS > 1 ? 'es' : ''} (HTTP keep-alive); the service in the parent on a real port, production defaults (response cache ${ttlMs} ms, ${rateLimit} GraphQL operations per user a minute).`,
  '',
  `- Requests issued (waits for one of the client's 1024 sockets included): ${requests.toLocaleString('en-US')} (${(requests / SECONDS).toFixed(0)}/s) in ${refreshes.toLocaleString('en-US')} dashboard refreshes (${overlapping.toLocaleString('en-US')} fired while the previous was still running); answered (2xx, no GraphQL errors): ${answered.toLocaleString('en-US')}; panel queries answered: ${panelAnswered.toLocaleString('en-US')} of ${panelRequests.toLocaleString('en-US')} due.`,
  `- 429: ${tooMany.toLocaleString('en-US')}; other failures: ${failures.length > 0 ? failures.join(', ') : 'none'}.`,
  `- Rate limits: the one grafana token carried ${(requests / minutes).toFixed(0)} requests a minute (the limit is ${rateLimit} per user); the busiest viewer sent ${(maxPerViewer / minutes).toFixed(0)} a minute.`,
  `- Latency of answered requests, ms: all p50 ${ms(overall.p50)}, p95 ${ms(overall.p95)}, p99 ${ms(overall.p99)}, max ${ms(overall.max)}; panels only p50 ${ms(panelQ.p50)}, p95 ${ms(panelQ.p95)}, p99 ${ms(panelQ.p99)}, max ${ms(panelQ.max)}.`,
  `- Response cache (\`analytics_response_cache_lookups_total\`): ${lookups.toLocaleString('en-US')} cacheable queries, ${hits.toLocaleString('en-US')} hits, ${joined.toLocaleString('en-US')} joined an identical one under way, ${misses.toLocaleString('en-US')} computed: ` +
    `${lookups > 0 ? ((100 * (hits + joined)) / lookups).toFixed(1) : '–'} % not computed; ${statements.toLocaleString('en-US')} store statements (${(statements / Math.max(1, requests)).toFixed(2)} a request).`,
  `- Store wall time by statement, s (summed over concurrent statements, the wait for one of the engine's connections included): ${slowest.map(([n, t]) => `${n} ${t.toFixed(0)}`).join(', ')}.`,
  `- What sharing can do here: ${demand.sets.toLocaleString('en-US')} sets of viewers with the same rights (an organization's owners and maintainers share; supervisors and workers see their own events), ` +
    `${demand.perRefresh.join(' + ')} distinct requests per refresh of the three dashboards: at least ${demand.perSecond.toFixed(0)} answers a second to compute with a perfect cache (one per rights set, request and TTL window). ` +
    `The service spent ${cpuPerAnswerMs.toFixed(0)} ms of CPU per answer it computed (rollup passes and uncached alert rules included): about ${((demand.perSecond * cpuPerAnswerMs) / 1000).toFixed(1)} cores' worth.`,
  `- Service (this process: yoga and the embedded engine): ${cpuS.toFixed(0)} CPU s in the ${wallS.toFixed(0)} s from the first refresh to the last answer (${(cpuS / wallS).toFixed(2)} cores of ${os.cpus().length}), peak RSS ${peakMiB} MiB; the clients: ${(sum((r) => r.cpuMs) / 1000).toFixed(0)} CPU s.`,
  `- Issue 21's conditions at this size: every panel answered ${held.answered ? 'yes' : 'NO'}; panel p99 ≤ 500 ms ${held.p99 ? 'yes' : 'NO'}; no 429 ${held.no429 ? 'yes' : 'NO'}.`,
  '',
  '| panel or variable | due | issued | answered | p50 ms | p95 ms | p99 ms | max ms | not answered |',
  '|---|---|---|---|---|---|---|---|---|',
  ...[...sites].map(([title, o]) => {
    const q = quantiles(o.latencies)
    const not = Object.entries(o.outcomes)
      .filter(([k]) => k !== '200')
      .map(([k, n]) => `${k}: ${n}`)
      .join(', ')
    return `| ${title} | ${dueOf(o)} | ${sentOf(o)} | ${answeredOf(o)} | ${ms(q.p50)} | ${ms(q.p95)} | ${ms(q.p99)} | ${ms(q.max)} | ${not || '–'} |`
  }),
]
console.log(lines.join('\n'))
await writeResultsSection('viewers', lines.join('\n'))
console.log('\nwrote bench/RESULTS.md (viewers)')
