/**
 * One refresh of a dashboard by one viewer, as Grafana and Infinity send it: every variable's and
 * panel's request for a time range, through the provisioned datasource acting for the viewer.
 * The benchmarks ask the dashboards with it (bench/queries.ts, bench/viewers.ts).
 */
import {
  datasourceHeaders,
  isParameter,
  parameterValues,
  provisionedDatasources,
  querySites,
  variablesOf,
  type LoadedDashboard,
  type Panel,
  type ProvisionedDatasource,
  type QuerySite,
} from './dashboards.js'
import { buildRequest, type InfinityRequest, type Selection } from './infinity.js'

const DAY = 86_400_000

/**
 * Grafana's `$__interval_ms` for a panel: the range over its points (a 1000-pixel-wide panel's, or
 * fewer where it sets maxDataPoints) rounded to a "nice" interval (rangeutil.roundInterval), and
 * at least the panel's min interval (minutes, as our dashboards write it).
 */
export function grafanaInterval(rangeMs: number, panel: Panel | undefined): number {
  const raw = rangeMs / Math.min(1000, panel?.maxDataPoints ?? 1000)
  const steps: [number, number][] = [
    [90_000, 60_000],
    [210_000, 120_000],
    [450_000, 300_000],
    [780_000, 600_000],
    [1_350_000, 900_000],
    [2_700_000, 1_800_000],
    [5_400_000, 3_600_000],
    [9_000_000, 7_200_000],
    [16_200_000, 10_800_000],
    [32_400_000, 21_600_000],
    [86_400_000, 43_200_000],
  ]
  const nice = steps.find(([limit]) => raw <= limit)?.[1] ?? DAY
  const min = panel?.interval ? Number.parseInt(panel.interval, 10) * 60_000 : 0
  return Math.max(nice, min)
}

export interface Refresh {
  readonly fromMs: number
  readonly toMs: number
  /** The signed-in Grafana user's login (the datasource's `${__user.login}`). */
  readonly login: string
  /** The Organization variable's value: an organization's slug, or '' for none. */
  readonly org: string
  /**
   * Grafana's environment as provisioning reads it: `ANALYTICS_URL` (the datasource's URL) and
   * `ANALYTICS_GRAFANA_TOKEN` (its bearer token).
   */
  readonly env: { readonly ANALYTICS_URL: string; readonly ANALYTICS_GRAFANA_TOKEN: string }
}

/** One request of a refresh, and where it comes from. */
export interface SiteRequest {
  readonly site: QuerySite
  /** `<dashboard title>: <panel title>`, or `variable <name>`. */
  readonly title: string
  readonly request: InfinityRequest
}

/**
 * Every request one refresh of `dashboard` sends, variables first (Grafana updates the variables
 * that refresh on a time-range change before the panels run), with "All" selected in every filter
 * variable, the viewer's organization in `org`, and each parameter at its default.
 */
export function refreshRequests(
  dashboard: LoadedDashboard,
  refresh: Refresh,
  datasource: ProvisionedDatasource | undefined = provisionedDatasources()[0],
): SiteRequest[] {
  if (!datasource) throw new Error('no provisioned datasource')
  const variables = variablesOf(dashboard.dashboard)
  const selections: Record<string, Selection> = Object.fromEntries(
    variables.map((v) => [
      v.name,
      v.name === 'org' ? [refresh.org] : isParameter(v) ? [parameterValues(v).current] : 'all',
    ]),
  )
  const headers = {
    ...datasourceHeaders(datasource, refresh.env, refresh.login),
    // auth_method bearerToken: Infinity's backend sends the secure bearerToken.
    Authorization: `Bearer ${refresh.env.ANALYTICS_GRAFANA_TOKEN}`,
  }
  return querySites(dashboard).map((site) => ({
    site,
    title:
      site.kind === 'variable'
        ? `variable ${site.variable?.name ?? '?'}`
        : `${dashboard.dashboard.title ?? ''}: ${site.panel?.title ?? '?'}`,
    request: buildRequest(
      site.target,
      {
        fromMs: refresh.fromMs,
        toMs: refresh.toMs,
        intervalMs: grafanaInterval(refresh.toMs - refresh.fromMs, site.panel),
        variables,
        selections,
      },
      refresh.env.ANALYTICS_URL,
      headers,
    ),
  }))
}

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: DAY, w: 7 * DAY }

/** The length of a dashboard's default range `now-<n><unit>` … `now` (what its viewers see first). */
export function relativeRangeMs(dashboard: LoadedDashboard): number {
  const { from = '', to = '' } = dashboard.dashboard.time ?? {}
  const match = /^now-(\d+)([smhdw])$/.exec(from)
  const unit = match?.[2] === undefined ? undefined : UNITS[match[2]]
  if (!match || unit === undefined || to !== 'now') {
    throw new Error(`${dashboard.file}: time ${from}…${to} is not a relative range ending now`)
  }
  return Number(match[1]) * unit
}
