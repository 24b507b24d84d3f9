import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  generateIntoStore,
  prepareDemoAccounts,
  type DemoPerson,
  type Simulation,
} from '../../src/demo/index.js'
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
  type LoadedDashboard,
  type Panel,
  type QuerySite,
} from '../../scripts/dashboards/dashboards.js'
import {
  buildRequest,
  longFrameIsSorted,
  toFrame,
  type Frame,
  type InfinityTarget,
  type Interpolation,
  type Selection,
} from '../../scripts/dashboards/infinity.js'
import { startTestApp, type TestApp } from '../support/app.js'
import { addGrafanaToken, as, credentialsFrom } from '../support/fixtures.js'

/**
 * Every panel of every dashboard, asked exactly as Grafana's Infinity plugin asks (interpolation,
 * body, headers, the provisioned datasource's credentials and delegation header), of the service
 * filled by the demo simulator; the answer read into a frame as Infinity's backend parser does.
 */

const END = Date.UTC(2026, 10, 25, 23) // a Wednesday night, UTC: the day before it has all four at work
const START = END - 86_400_000
const PASSWORD = 'demo-password-1'
const GRAFANA_TOKEN = 'aat_test-grafana-conformance-token-012345'
/** Grafana's environment, as the compose file gives it. */
const GRAFANA_ENV = { ANALYTICS_URL: 'http://analytics:8080', ANALYTICS_GRAFANA_TOKEN: GRAFANA_TOKEN }

let t: TestApp
let simulation: Simulation
let worker: DemoPerson
const dashboards: LoadedDashboard[] = dashboardFiles().map(loadDashboard)
const datasource = provisionedDatasources()[0]

beforeAll(async () => {
  t = await startTestApp()
  const generated = await generateIntoStore(t.app.services.store, {
    seed: 'grafana',
    // Two organizations (six people), so an organization's context has something to leave out.
    users: 6,
    days: 1,
    endMs: END,
  })
  simulation = generated.simulation
  // Small enough to stay fast, large enough for every panel: a few thousand events.
  console.log(`conformance: ${generated.summary.events} demo events`)
  expect(generated.summary.events).toBeGreaterThan(1000)
  expect(generated.summary.events).toBeLessThan(25_000)
  await prepareDemoAccounts(t.config.accountsFile, simulation.world, PASSWORD)
  await addGrafanaToken(t, GRAFANA_TOKEN)
  // A firing alert rule in every organization, for the panel of firing rules: no event has that name.
  for (const org of simulation.world.organizations) {
    const admin = await t.app.services.auth.access(
      credentialsFrom({ ...as('admin'), 'x-organization': org.slug }),
    )
    await t.app.services.alerts.create(admin, {
      name: `${org.slug} silent`,
      kind: 'no_events',
      filter: { objNames: ['no event has this name'] },
    })
  }
  expect(await t.app.services.alerts.evaluateNow()).toBe(true)
  const found = simulation.world.people.find((p) => p.orgRole === 'worker')
  if (!found) throw new Error('the demo world has no worker')
  worker = found
  // The worker is at work now, for "Active users (now)".
  const access = await t.app.services.auth.access(
    credentialsFrom({
      authorization: `Basic ${Buffer.from(`${worker.username}:${PASSWORD}`).toString('base64')}`,
      'x-organization': worker.orgSlug,
    }),
  )
  const now = new Date().toISOString()
  await t.app.services.ingest.clientBatch(
    {
      events: [
        { scope: 'change:frame', timestamp: now, duration: 1000, count: 1 },
        // Errors in the range and in the day before it, for the Users Exceptions dashboard's change
        // against the previous period (the demo's own errors fall in the range only).
        ...EXCEPTIONS.map(([atMs, message]) => ({
          scope: 'send:exception',
          timestamp: new Date(atMs).toISOString(),
          payload: { message, stack: 'at f (app.js:1:1)' },
        })),
      ],
      timestamp: now,
    },
    access,
    { requestId: 'conformance-now', userAgent: 'test', remoteAddr: null, receivedAtMs: Date.now() },
  )
}, 120_000)

/** The worker's errors: two in the day before the range, three in it. */
const EXCEPTIONS: readonly [number, string][] = [
  [START - 7_200_000, 'Network Error'],
  [START - 3_600_000, 'TypeError: Cannot read properties of undefined (reading "x")'],
  [START + 3_600_000, 'Network Error'],
  [START + 7_200_000, 'Request failed with status code 504 "Gateway Timeout"'],
  [START + 10_800_000, 'TypeError: a.map is not a function'],
]
afterAll(async () => {
  await t.stop()
})

interface Answer {
  readonly status: number
  readonly body: { data?: unknown; errors?: { message: string }[] }
  readonly frame: Frame
}

/** Sends a target as Infinity would, signed in to Grafana as `login`. */
async function ask(target: InfinityTarget, ctx: Interpolation, login: string): Promise<Answer> {
  if (!datasource) throw new Error('no provisioned Infinity datasource')
  const baseUrl = expandProvisioningEnv(datasource.url ?? '', GRAFANA_ENV)
  const bearer = expandProvisioningEnv(datasource.secureJsonData?.bearerToken as string, GRAFANA_ENV)
  expect(datasource.jsonData?.auth_method).toBe('bearerToken')
  const request = buildRequest(target, ctx, baseUrl, {
    ...datasourceHeaders(datasource, GRAFANA_ENV, login),
    Authorization: `Bearer ${bearer}`,
  })
  const allowed = (datasource.jsonData?.allowedHosts as string[]).map((h) =>
    expandProvisioningEnv(h, GRAFANA_ENV),
  )
  expect(
    allowed.some((prefix) => request.url.startsWith(prefix)),
    `${request.url} is not an allowed host`,
  ).toBe(true)
  expect(request.variablesError, `variables JSON:\n${request.variablesText}`).toBeNull()
  const res = await t.app.fetch(
    new Request(request.url, {
      method: request.method,
      headers: request.headers,
      body: JSON.stringify(request.body),
    }),
  )
  const body = (await res.json()) as Answer['body']
  return { status: res.status, body, frame: await toFrame(body, target) }
}

/** The field of a frame named `name`, or of the target's column whose selector is `selector`. */
function fieldValues(frame: Frame, target: InfinityTarget, selector: string): unknown[] | undefined {
  const column = target.columns?.find((c) => c.selector === selector)
  const name = column ? column.text || column.selector : undefined
  return frame.fields.find((f) => f.name === name)?.values
}

/** Grafana's $__interval_ms for a panel over the range: at least the panel's min interval. */
function intervalFor(panel: Panel | undefined): number {
  const min = panel?.interval === '15m' ? 900_000 : 0
  return Math.max(min, Math.ceil((END - START) / 1000 / 60_000) * 60_000)
}

interface Viewer {
  readonly login: string
  readonly dashboard: LoadedDashboard
  readonly selections: Record<string, Selection>
  readonly options: Record<string, string[]>
  readonly texts: Record<string, string[]>
}

/** Resolves a dashboard's variables as Grafana does on load: each query run, its options kept. */
async function openDashboard(
  dashboard: LoadedDashboard,
  login: string,
  selections: Record<string, Selection> = {},
): Promise<Viewer> {
  const variables = variablesOf(dashboard.dashboard)
  const chosen: Record<string, Selection> = {}
  const options: Record<string, string[]> = {}
  const texts: Record<string, string[]> = {}
  // Parameters (custom variables) start at their default, as Grafana opens the dashboard.
  for (const variable of variables.filter(isParameter)) {
    const { values, current } = parameterValues(variable)
    options[variable.name] = values
    texts[variable.name] = values
    chosen[variable.name] = selections[variable.name] ?? [current]
  }
  for (const site of querySites(dashboard).filter((s) => s.kind === 'variable')) {
    const variable = site.variable as DashboardVariable
    const ctx = context(variables, chosen, options, undefined)
    const answer = await ask(site.target, ctx, login)
    expect(answer.status, `${site.where}: ${JSON.stringify(answer.body)}`).toBe(200)
    const values = (fieldValues(answer.frame, site.target, 'id') ??
      fieldValues(answer.frame, site.target, 'slug') ??
      answer.frame.fields[0]?.values ??
      []) as string[]
    options[variable.name] = values
    texts[variable.name] = (fieldValues(answer.frame, site.target, 'name') ??
      fieldValues(answer.frame, site.target, 'label') ??
      values) as string[]
    // Grafana's default: "All" where there is one, else the first option.
    chosen[variable.name] = selections[variable.name] ?? (variable.includeAll ? 'all' : [values[0] ?? ''])
  }
  return { login, dashboard, selections: chosen, options, texts }
}

function context(
  variables: readonly DashboardVariable[],
  selections: Record<string, Selection>,
  options: Record<string, string[]>,
  panel: Panel | undefined,
): Interpolation {
  return { fromMs: START, toMs: END, intervalMs: intervalFor(panel), variables, selections, options }
}

function panelSites(viewer: Viewer): QuerySite[] {
  return querySites(viewer.dashboard).filter((s) => s.kind === 'panel')
}

async function runPanel(viewer: Viewer, site: QuerySite): Promise<Answer> {
  const variables = variablesOf(viewer.dashboard.dashboard)
  const answer = await ask(
    site.target,
    context(variables, viewer.selections, viewer.options, site.panel),
    viewer.login,
  )
  expect(answer.status, `${site.where}: ${JSON.stringify(answer.body).slice(0, 500)}`).toBe(200)
  expect(answer.body.errors, site.where).toBeUndefined()
  return answer
}

/**
 * Runs every panel of a dashboard with `selection` (as admin): where a panel shows the `selector`
 * column, `check` sees its values; where it does not, its frame must differ from the one without
 * the selection for the panel to count as narrowed. Fails when the selection was never exercised:
 * no value compared and no panel narrowed (a check behind `if (seen)` alone could pass on nothing).
 */
async function expectNarrowed(
  dashboard: LoadedDashboard,
  selection: Record<string, string[]>,
  selector: string,
  check: (seen: unknown[], where: string) => void,
): Promise<void> {
  const all = await openDashboard(dashboard, 'admin')
  const viewer = await openDashboard(dashboard, 'admin', selection)
  let compared = 0
  let narrowed = 0
  for (const site of panelSites(viewer)) {
    const { frame } = await runPanel(viewer, site)
    const seen = fieldValues(frame, site.target, selector)
    if (seen) {
      check(seen, site.where)
      compared += seen.length
    } else if (JSON.stringify((await runPanel(all, site)).frame) !== JSON.stringify(frame)) narrowed += 1
  }
  expect(
    { compared, narrowed },
    `${path.basename(dashboard.file)}: ${JSON.stringify(selection)} was never exercised`,
  ).not.toEqual({ compared: 0, narrowed: 0 })
}

/** A non-empty frame whose every column has values, each of its declared type. */
function expectTypedFrame(site: QuerySite, frame: Frame): void {
  expect(frame.rows, `${site.where}: no rows`).toBeGreaterThan(0)
  for (const field of frame.fields) {
    const where = `${site.where}, column '${field.name}'`
    expect(
      field.values.some((v) => v !== null),
      `${where}: every value is null`,
    ).toBe(true)
    for (const value of field.values.filter((v) => v !== null)) {
      if (field.type === 'number') expect(Number.isFinite(value), where).toBe(true)
      else if (field.type === 'timestamp')
        expect(value instanceof Date && !Number.isNaN(value.getTime()), where).toBe(true)
      else if (field.type === 'json-string')
        expect(() => JSON.parse(value as string) as unknown, where).not.toThrow()
      else expect(typeof value, where).toBe(field.type === 'boolean' ? 'boolean' : 'string')
    }
  }
  if (site.target.format === 'timeseries') {
    expect(longFrameIsSorted(frame), `${site.where}: times must ascend for Infinity's long-to-wide`).toBe(
      true,
    )
  }
}

const names = dashboards.map((d) => path.basename(d.file))
/** CVAT's newer dashboard (docs/cvat-compatibility.md#users-exceptions): one scope, no user column, a period before the range. */
const EXCEPTIONS_DASHBOARD = 'users-exceptions.json'

describe.each(names)('%s', (name) => {
  const dashboard = dashboards.find((d) => path.basename(d.file) === name) as LoadedDashboard

  it('fills every panel with a typed frame for an admin with every variable on "All"', async () => {
    const viewer = await openDashboard(dashboard, 'admin')
    expect(viewer.options.users?.length, 'the users variable lists the demo people').toBeGreaterThan(3)
    // "All" is no constraint: were it the list of jobs, Browsers (from load:cvat events, which have
    // no job) would be empty.
    for (const site of panelSites(viewer)) expectTypedFrame(site, (await runPanel(viewer, site)).frame)
  })

  it('narrows every panel to two selected users, and the tables show only them', async () => {
    const all = await openDashboard(dashboard, 'admin')
    const chosen = (all.options.users ?? []).slice(0, 2)
    const viewer = await openDashboard(dashboard, 'admin', { users: chosen })
    for (const site of panelSites(viewer)) {
      const { frame } = await runPanel(viewer, site)
      const userIds = fieldValues(frame, site.target, 'userId')
      if (userIds) expect(chosen, site.where).toEqual(expect.arrayContaining([...new Set(userIds)]))
      // Both chosen people annotate: every panel but the exceptions' has rows, of both of them.
      if (site.panel?.title?.startsWith('Exceptions') || name === EXCEPTIONS_DASHBOARD) continue
      expectTypedFrame(site, frame)
      if (userIds) expect(new Set(userIds), site.where).toEqual(new Set(chosen))
    }
  })

  // Only the variables the dashboard has (CVAT's Users Exceptions shows one scope: no scope variable).
  const variables = new Set((dashboard.dashboard.templating?.list ?? []).map((v) => v.name))
  const selections: [string, string, string[]][] = [
    ['scopes', 'scope', ['change:frame', 'load:job']],
    ['sources', 'source', ['server']],
  ]
  it.each(selections.filter(([variable]) => variables.has(variable)))(
    'honours a multi-value selection of %s in every panel',
    async (variable, selector, values) => {
      await expectNarrowed(dashboard, { [variable]: values }, selector, (seen, where) =>
        expect(values, where).toEqual(expect.arrayContaining([...new Set(seen)])),
      )
    },
  )

  it('honours two selected jobs', async () => {
    const all = await openDashboard(dashboard, 'admin')
    const jobs = (all.options.jobs ?? []).slice(0, 2)
    expect(jobs).toHaveLength(2)
    await expectNarrowed(dashboard, { jobs }, 'jobId', (seen, where) =>
      expect(jobs, where).toEqual(expect.arrayContaining([...new Set(seen)])),
    )
  })

  it("works in an organization's context", async () => {
    const all = await openDashboard(dashboard, 'admin')
    const org = (all.options.org ?? []).find((slug) => slug !== '')
    expect(org, 'the organization variable lists the demo organizations').toBeDefined()
    await expectNarrowed(dashboard, { org: [org as string] }, 'orgSlug', (seen, where) =>
      expect(new Set(seen), where).toEqual(new Set([org])),
    )
  })

  it("shows a worker, through the delegation header, only the worker's own events", async () => {
    const viewer = await openDashboard(dashboard, worker.username)
    expect(viewer.options.users).toEqual([String(worker.id)])
    let rowsSeen = 0
    for (const site of panelSites(viewer)) {
      const { frame } = await runPanel(viewer, site)
      for (const selector of ['userId', 'userName', 'user']) {
        const seen = fieldValues(frame, site.target, selector)
        if (!seen) continue
        rowsSeen += seen.length
        const own = selector === 'userId' ? String(worker.id) : worker.username
        expect([own], `${site.where}: ${selector}`).toEqual(expect.arrayContaining([...new Set(seen)]))
      }
    }
    // The Users Exceptions dashboard has no user column (see its own test below).
    if (name !== EXCEPTIONS_DASHBOARD) expect(rowsSeen).toBeGreaterThan(0)
  })
})

describe('the Users Exceptions dashboard', () => {
  const dashboard = () =>
    dashboards.find((d) => path.basename(d.file) === EXCEPTIONS_DASHBOARD) as LoadedDashboard
  const totals = async (viewer: Viewer) => {
    const site = panelSites(viewer).find((s) => s.panel?.title === 'Total Errors') as QuerySite
    const { frame } = await runPanel(viewer, site)
    return {
      count: fieldValues(frame, site.target, 'count')?.[0] as number,
      delta: fieldValues(frame, site.target, 'deltaPercent')?.[0] as number | null,
    }
  }

  it("shows a worker, through the delegation header, only the worker's own errors", async () => {
    const own = await totals(await openDashboard(dashboard(), worker.username))
    const all = await totals(await openDashboard(dashboard(), 'admin'))
    const narrowed = await totals(await openDashboard(dashboard(), 'admin', { users: [String(worker.id)] }))
    expect(own.count).toBeGreaterThanOrEqual(3)
    expect(own).toEqual(narrowed)
    expect(all.count).toBeGreaterThanOrEqual(own.count)
  })
})

describe('the Productivity dashboard', () => {
  const productivity = () =>
    dashboards.find((d) => path.basename(d.file) === 'productivity.json') as LoadedDashboard
  const panel = (viewer: Viewer, title: string) =>
    panelSites(viewer).find((s) => s.panel?.title === title) as QuerySite

  it('recomputes working time at the chosen idle cutoff: the leaderboard and the idle-gap panel agree', async () => {
    const hoursOf = async (idle: string) => {
      const viewer = await openDashboard(productivity(), 'admin', { idle: [idle] })
      const site = panel(viewer, 'Leaderboard')
      const { frame } = await runPanel(viewer, site)
      return ((fieldValues(frame, site.target, 'workingHours') ?? []) as number[]).reduce((a, b) => a + b, 0)
    }
    const at = { 60: await hoursOf('60'), 100: await hoursOf('100'), 900: await hoursOf('900') }
    expect(at[60]).toBeGreaterThan(0)
    expect(at[60]).toBeLessThanOrEqual(at[100])
    expect(at[100]).toBeLessThan(at[900])
    const viewer = await openDashboard(productivity(), 'admin')
    const cutoffs = panel(viewer, 'Working time at each idle cutoff')
    const { frame } = await runPanel(viewer, cutoffs)
    const seconds = fieldValues(frame, cutoffs.target, 'idleSeconds') as string[]
    const hours = fieldValues(frame, cutoffs.target, 'hours') as number[]
    expect(seconds).toEqual(['60', '100', '300', '900'])
    expect(hours[0]).toBeCloseTo(at[60], 6)
    expect(hours[3]).toBeCloseTo(at[900], 6)
  })

  it('shows every job the reviewers moved, with stage hours and rejections', async () => {
    const viewer = await openDashboard(productivity(), 'admin')
    const site = panel(viewer, 'Job flow')
    const { frame } = await runPanel(viewer, site)
    const stages = new Set(fieldValues(frame, site.target, 'stage'))
    expect([...stages].sort()).toEqual(expect.arrayContaining(['acceptance', 'validation']))
  })
})

describe('the Monitoring dashboard', () => {
  it('counts the worker who is at work now among the active users', async () => {
    const monitoring = dashboards.find((d) => path.basename(d.file) === 'monitoring.json') as LoadedDashboard
    const viewer = await openDashboard(monitoring, 'admin')
    const site = panelSites(viewer).find((s) => s.panel?.title === 'Active users (now)') as QuerySite
    const { frame } = await runPanel(viewer, site)
    expect(fieldValues(frame, site.target, 'count')).toEqual([1])
  })
})
