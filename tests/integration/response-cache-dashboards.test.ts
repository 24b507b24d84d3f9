import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseInterval } from '../../src/domain/aggregation-input.js'
import { generateIntoStore, prepareDemoAccounts, type Simulation } from '../../src/demo/index.js'
import { createYogaServer, type Yoga } from '../../src/pipeline/yoga.js'
import {
  dashboardFiles,
  datasourceHeaders,
  expandProvisioningEnv,
  isParameter,
  loadDashboard,
  parameterValues,
  provisionedDatasources,
  querySites,
  variablesOf,
  type DashboardVariable,
  type QuerySite,
} from '../../scripts/dashboards/dashboards.js'
import {
  buildRequest,
  toFrame,
  type InfinityRequest,
  type Selection,
} from '../../scripts/dashboards/infinity.js'
import { startTestApp, type TestApp } from '../support/app.js'
import { addGrafanaToken, credentialsFrom } from '../support/fixtures.js'

/**
 * Item 6 of issue 21: the response cache and the alignment of dashboards' time ranges change no
 * answer. Every query of every dashboard, asked as Grafana's Infinity plugin asks it (with the
 * provisioned datasource's token and delegation header), is answered by the service with its
 * cache on (TTL 60 s) and compared with the same service's pipeline without a cache: for a range
 * ending now, with the answer the uncached pipeline gives for the aligned range (`to` and `from`
 * down to a multiple of the TTL, `from` down to its bucket); for a range in the past, with the
 * answer to the range asked, unchanged.
 */

const TTL = 60_000
const NOW = Date.now()
const PASSWORD = 'demo-password-1'
const GRAFANA_TOKEN = 'aat_test-cache-dashboards-token-0123456789'
const GRAFANA_ENV = { ANALYTICS_URL: 'http://analytics:8080', ANALYTICS_GRAFANA_TOKEN: GRAFANA_TOKEN }

let t: TestApp
let off: Yoga
let simulation: Simulation
const dashboards = dashboardFiles().map(loadDashboard)
const datasource = provisionedDatasources()[0]

beforeAll(async () => {
  t = await startTestApp({ RESPONSE_CACHE_TTL_MS: String(TTL) })
  const { services } = t.app
  off = createYogaServer({ ...services, config: { ...services.config, responseCacheTtlMs: 0 } })
  // A day of work up to now, and the one before (for ranges in the past).
  simulation = (await generateIntoStore(services.store, { seed: 'cache', users: 6, days: 2, endMs: NOW }))
    .simulation
  await prepareDemoAccounts(t.config.accountsFile, simulation.world, PASSWORD)
  await addGrafanaToken(t, GRAFANA_TOKEN)
  // Events in the hour before a day ago (what aligning `from` to its hourly bucket adds to a
  // range of the last 24 hours), so that the aligned range's answers differ from the asked one's.
  const dayAgo = NOW - 86_400_000
  await services.store.bulk.insertSynthetic({
    rows: 2000,
    fromMs: Math.floor(dayAgo / 3_600_000) * 3_600_000,
    toMs: dayAgo - 60_000,
  })
  // The demo people skip weekends: each sends a few events over the last day, whatever today is.
  const sentAt = new Date().toISOString()
  for (const person of simulation.world.people) {
    const access = await services.auth.access(
      credentialsFrom({
        authorization: `Basic ${Buffer.from(`${person.username}:${PASSWORD}`).toString('base64')}`,
        'x-organization': person.orgSlug,
      }),
    )
    const events = Array.from({ length: 24 }, (_, hour) => ({
      scope: hour % 3 === 0 ? 'load:job' : 'change:frame',
      timestamp: new Date(NOW - hour * 3_600_000 - (person.index + 1) * 60_000).toISOString(),
      duration: 1000 * (person.index + 1),
      count: 1,
    }))
    await services.ingest.clientBatch({ events, timestamp: sentAt }, access, {
      requestId: `cache-${person.username}`,
      userAgent: 'test',
      remoteAddr: null,
      receivedAtMs: Date.now(),
    })
  }
  await services.store.rollups.flush()
}, 120_000)
afterAll(async () => {
  await t.stop()
})

/**
 * Every variable and panel query of every dashboard, as Infinity sends it for `login` over the
 * range: variables resolved first, as Grafana opens a dashboard ("All" where there is one, else
 * the first option; `org` as given).
 */
async function requests(
  login: string,
  fromMs: number,
  toMs: number,
  org?: string,
): Promise<{ where: string; request: InfinityRequest }[]> {
  if (!datasource) throw new Error('no provisioned Infinity datasource')
  const baseUrl = expandProvisioningEnv(datasource.url ?? '', GRAFANA_ENV)
  const headers = {
    ...datasourceHeaders(datasource, GRAFANA_ENV, login),
    Authorization: `Bearer ${GRAFANA_TOKEN}`,
  }
  const all: { where: string; request: InfinityRequest }[] = []
  for (const dashboard of dashboards) {
    const variables = variablesOf(dashboard.dashboard)
    const selections: Record<string, Selection> = {}
    const options: Record<string, string[]> = {}
    for (const variable of variables.filter(isParameter)) {
      const { values, current } = parameterValues(variable)
      options[variable.name] = values
      selections[variable.name] = [current]
    }
    const build = (site: QuerySite) =>
      buildRequest(
        site.target,
        { fromMs, toMs, intervalMs: 3_600_000, variables, selections, options },
        baseUrl,
        headers,
      )
    for (const site of querySites(dashboard).filter((s) => s.kind === 'variable')) {
      const variable = site.variable as DashboardVariable
      const request = build(site)
      all.push({ where: site.where, request })
      const res = await off.fetch(
        new Request(request.url, {
          method: request.method,
          headers: request.headers,
          body: JSON.stringify(request.body),
        }),
      )
      const frame = await toFrame(await res.json(), site.target)
      const column = (selector: string) => {
        const c = site.target.columns?.find((x) => x.selector === selector)
        return c ? frame.fields.find((f) => f.name === (c.text || c.selector))?.values : undefined
      }
      const values = (column('id') ?? column('slug') ?? frame.fields[0]?.values ?? []).map(String)
      options[variable.name] = values
      selections[variable.name] =
        variable.name === 'org' && org ? [org] : variable.includeAll ? 'all' : [values[0] ?? '']
    }
    for (const site of querySites(dashboard).filter((s) => s.kind === 'panel'))
      all.push({ where: site.where, request: build(site) })
  }
  return all
}

/** The variables with the range of the filter as the cache aligns a live one (the rule, restated). */
function aligned(request: InfinityRequest): Record<string, unknown> | null {
  const variables = request.body.variables
  const filter = variables?.filter as { from?: string; to?: string } | undefined
  if (!variables || !filter?.to || Math.abs(Date.parse(filter.to) - Date.now()) > 5 * 60_000) return variables
  const floor = (ms: number, step: number) => Math.floor(ms / step) * step
  let from = filter.from === undefined ? undefined : floor(Date.parse(filter.from), TTL)
  if (
    from !== undefined &&
    typeof variables.bucket === 'string' &&
    /interval:\s*\$bucket/.test(request.body.query)
  )
    from = floor(from, parseInterval(variables.bucket))
  return {
    ...variables,
    filter: {
      ...filter,
      to: new Date(floor(Date.parse(filter.to), TTL)).toISOString(),
      ...(from === undefined ? {} : { from: new Date(from).toISOString() }),
    },
  }
}

async function send(
  fetcher: (r: Request) => Promise<Response> | Response,
  request: InfinityRequest,
  variables: Record<string, unknown> | null,
): Promise<{ status: number; body: unknown }> {
  const res = await fetcher(
    new Request(request.url, {
      method: request.method,
      headers: request.headers,
      body: JSON.stringify({ ...request.body, variables }),
    }),
  )
  return { status: res.status, body: canonical(await res.json()) }
}

/** Lists in a canonical order: rows tied in the asked order may come in either. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value))
    return value.map(canonical).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1))
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, canonical(v)]))
  return value
}

const cached = (r: Request) => t.app.fetch(r)
const uncached = (r: Request) => off.fetch(r)

describe('dashboards with the response cache and aligned ranges', () => {
  it('answers every query of a range ending now as the uncached service answers the aligned range', async () => {
    let moved = 0
    const now = Date.now()
    for (const { where, request } of await requests('admin', now - 86_400_000, now)) {
      const variables = aligned(request)
      const expected = await send(uncached, request, variables)
      if (JSON.stringify(expected) !== JSON.stringify(await send(uncached, request, request.body.variables)))
        moved += 1
      expect(expected.status, `${where}: ${JSON.stringify(expected.body).slice(0, 300)}`).toBe(200)
      // Asked twice: computed (a miss), then from the cache (a hit).
      expect(await send(cached, request, request.body.variables), where).toEqual(expected)
      expect(await send(cached, request, request.body.variables), where).toEqual(expected)
    }
    // The rule was exercised: for many queries the aligned range has another answer.
    expect(moved).toBeGreaterThan(2)
  })

  it('answers every query of a range in the past exactly as asked', async () => {
    let compared = 0
    for (const { where, request } of await requests('admin', NOW - 2 * 86_400_000, NOW - 86_400_000 - 999)) {
      expect(aligned(request), where).toEqual(request.body.variables)
      const expected = await send(uncached, request, request.body.variables)
      expect(expected.status, where).toBe(200)
      expect(await send(cached, request, request.body.variables), where).toEqual(expected)
      expect(await send(cached, request, request.body.variables), where).toEqual(expected)
      compared += 1
    }
    expect(compared).toBeGreaterThan(20)
  })
})

describe('viewers with different rights', () => {
  it(
    "never get each other's cached answer, and viewers with the same rights share one",
    { timeout: 300_000 },
    async () => {
      const people = simulation.world.people
      const owner = people.find((p) => p.orgRole === 'owner')
      const worker = people.find((p) => p.orgRole === 'worker' && p.orgSlug === owner?.orgSlug)
      const otherOwner = people.find((p) => p.orgRole === 'owner' && p.orgSlug !== owner?.orgSlug)
      if (!owner || !worker || !otherOwner) throw new Error('the demo world lacks owners or a worker')
      // The widest view first, so that narrower ones ask with its answers in the cache; the admin
      // in the owner's organization has the owner's rights.
      const viewers = [
        { name: 'admin', login: 'admin' },
        { name: 'owner', login: owner.username, org: owner.orgSlug },
        { name: 'worker', login: worker.username, org: worker.orgSlug },
        { name: 'other owner', login: otherOwner.username, org: otherOwner.orgSlug },
        { name: 'admin in the owner’s organization', login: 'admin', org: owner.orgSlug },
      ]
      const answers = new Map<string, Map<string, string>>()
      // One "now" for every viewer: their answers are compared, and a range that moved on between
      // two viewers (a slow machine crossing an alignment step) would differ by time, not rights.
      const now = Date.now()
      for (const viewer of viewers) {
        const seen = new Map<string, string>()
        answers.set(viewer.name, seen)
        for (const { where, request } of await requests(viewer.login, now - 86_400_000, now, viewer.org)) {
          const expected = await send(uncached, request, aligned(request))
          const got = await send(cached, request, request.body.variables)
          expect(got, `${viewer.name}: ${where}`).toEqual(expected)
          seen.set(where, JSON.stringify(got))
        }
      }
      const differing = (a: string, b: string) => {
        const x = answers.get(a) as Map<string, string>
        const y = answers.get(b) as Map<string, string>
        return [...x.keys()].filter((k) => x.get(k) !== y.get(k)).length
      }
      // Their rights differ, and so do many of their panels (none got another's).
      const counts = {
        adminOwner: differing('admin', 'owner'),
        ownerWorker: differing('owner', 'worker'),
        ownerOtherOwner: differing('owner', 'other owner'),
      }
      expect(counts.adminOwner, JSON.stringify(counts)).toBeGreaterThan(5)
      expect(counts.ownerWorker, JSON.stringify(counts)).toBeGreaterThan(5)
      expect(counts.ownerOtherOwner, JSON.stringify(counts)).toBeGreaterThan(5)
      const x = answers.get('owner') as Map<string, string>
      const y = answers.get('admin in the owner’s organization') as Map<string, string>
      // Panels, which ask in the organization (the `org` variable's list is asked outside any, where
      // the admin sees every organization).
      const panels = [...x.keys()].filter((k) => k.includes(': panel '))
      expect(panels.length).toBeGreaterThan(15)
      expect(panels.filter((k) => x.get(k) !== y.get(k))).toEqual([])
    },
  )

  it('answers a viewer with the rights of one who asked before from the cache', async () => {
    const owner = simulation.world.people.find((p) => p.orgRole === 'owner')
    if (!owner) throw new Error('no owner')
    // The activity queries the store ran (background passes run statements of their own).
    const statements = () =>
      [...t.app.services.store.statementCounts.entries()]
        .filter(([name]) => name.startsWith('analytics.activity'))
        .reduce((a, [, n]) => a + n, 0)
    // Two refreshes within one TTL step: 1 s and 3 s into the current minute.
    const minute = Math.floor(Date.now() / TTL) * TTL
    const [first] = (
      await requests(owner.username, minute + 1000 - 86_400_000, minute + 1000, owner.orgSlug)
    ).filter((r) => r.request.body.query.includes('activity('))
    if (!first) throw new Error('no activity panel')
    await send(cached, first.request, first.request.body.variables)
    const before = statements()
    expect(before).toBeGreaterThan(0)
    // The admin in the same organization, a moment later (another `$__to`, the same aligned range).
    const [again] = (
      await requests('admin', minute + 3000 - 86_400_000, minute + 3000, owner.orgSlug)
    ).filter((r) => r.where === first.where)
    if (!again) throw new Error('no activity panel')
    await send(cached, again.request, again.request.body.variables)
    expect(
      statements(),
      `${JSON.stringify(first.request.body.variables)}\n${JSON.stringify(again.request.body.variables)}`,
    ).toBe(before)
  })
})
