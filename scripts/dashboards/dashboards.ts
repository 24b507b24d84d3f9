/**
 * The dashboards in grafana/dashboards/ and the provisioned datasource, read as Grafana reads
 * them: every panel (rows' panels included) with its targets, and every template variable with
 * its Infinity query.
 */
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse as parseYaml } from 'yaml'
import type { InfinityTarget, TemplateVariable } from './infinity.js'

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
export const DASHBOARDS_DIR = path.join(ROOT, 'grafana/dashboards')
export const DATASOURCES_DIR = path.join(ROOT, 'grafana/provisioning/datasources')
export const OPERATIONS_DIR = path.join(ROOT, 'schema/operations')
export const INFINITY_PLUGIN_ID = 'yesoreyeram-infinity-datasource'

export interface DashboardVariable extends TemplateVariable {
  readonly type: string
  readonly label?: string
  readonly datasource?: { readonly type?: string; readonly uid?: string }
  readonly query?: { readonly queryType?: string; readonly infinityQuery?: InfinityTarget } | string
  readonly current?: {
    readonly text?: string | readonly string[]
    readonly value?: string | readonly string[]
  }
}

/**
 * A custom variable is a parameter of the dashboard (the productivity dashboard's idle cutoff),
 * not a filter: its values are the comma-separated `query`, its default `current`.
 */
export function isParameter(variable: DashboardVariable): boolean {
  return variable.type === 'custom'
}

/** A parameter's values (its `query`, comma-separated), and the one Grafana starts with. */
export function parameterValues(variable: DashboardVariable): { values: string[]; current: string } {
  const values = (typeof variable.query === 'string' ? variable.query : '')
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '')
  const current: string | readonly string[] | undefined = variable.current?.value
  const first = typeof current === 'string' ? current : current?.[0]
  return { values, current: first ?? values[0] ?? '' }
}

export interface Panel {
  readonly id?: number
  readonly type: string
  readonly title?: string
  readonly interval?: string
  /** At most this many points per series: Grafana's $__interval is the range over the smaller of it and the panel's width. */
  readonly maxDataPoints?: number
  readonly datasource?: { readonly type?: string; readonly uid?: string }
  readonly targets?: readonly InfinityTarget[]
  readonly panels?: readonly Panel[]
}

export interface Dashboard {
  readonly uid?: string
  readonly title?: string
  /** The default time range, as Grafana writes it (`now-7d` … `now`). */
  readonly time?: { readonly from?: string; readonly to?: string }
  readonly panels?: readonly Panel[]
  readonly templating?: { readonly list?: readonly DashboardVariable[] }
}

/** One query Grafana runs: a panel's target or a variable's, with where it is for messages. */
export interface QuerySite {
  readonly file: string
  readonly where: string
  readonly kind: 'panel' | 'variable'
  readonly panel?: Panel
  readonly variable?: DashboardVariable
  readonly target: InfinityTarget
}

export interface LoadedDashboard {
  readonly file: string
  readonly dashboard: Dashboard
}

export function dashboardFiles(dir = DASHBOARDS_DIR): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => path.join(dir, f))
}

/** Parses a dashboard file; a JSON error names the file. */
export function loadDashboard(file: string): LoadedDashboard {
  try {
    return { file, dashboard: JSON.parse(readFileSync(file, 'utf8')) as Dashboard }
  } catch (error) {
    throw new Error(`${path.relative(ROOT, file)}: not JSON: ${(error as Error).message}`)
  }
}

export function panelsOf(dashboard: Dashboard): Panel[] {
  const all: Panel[] = []
  const walk = (panels: readonly Panel[] | undefined) => {
    for (const panel of panels ?? []) {
      all.push(panel)
      walk(panel.panels)
    }
  }
  walk(dashboard.panels)
  return all
}

export function variablesOf(dashboard: Dashboard): DashboardVariable[] {
  return [...(dashboard.templating?.list ?? [])]
}

/** Every query of a dashboard: variables' first (Grafana resolves them before panels run). */
export function querySites({ file, dashboard }: LoadedDashboard): QuerySite[] {
  const name = path.basename(file)
  const sites: QuerySite[] = []
  for (const variable of variablesOf(dashboard)) {
    if (variable.type !== 'query' || typeof variable.query !== 'object' || !variable.query.infinityQuery)
      continue
    sites.push({
      file,
      where: `${name}: variable '${variable.name}'`,
      kind: 'variable',
      variable,
      target: variable.query.infinityQuery,
    })
  }
  for (const panel of panelsOf(dashboard)) {
    for (const target of panel.targets ?? []) {
      sites.push({
        file,
        where: `${name}: panel '${panel.title ?? panel.id}' target ${target.refId ?? '?'}`,
        kind: 'panel',
        panel,
        target,
      })
    }
  }
  return sites
}

export interface ProvisionedDatasource {
  readonly name: string
  readonly uid: string
  readonly type: string
  readonly url?: string
  readonly jsonData?: Record<string, unknown>
  readonly secureJsonData?: Record<string, unknown>
}

/** The Infinity datasources of grafana/provisioning/datasources/*.yaml. */
export function provisionedDatasources(dir = DATASOURCES_DIR): ProvisionedDatasource[] {
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .flatMap((f) => {
      const doc = parseYaml(readFileSync(path.join(dir, f), 'utf8')) as {
        datasources?: ProvisionedDatasource[]
      }
      return (doc.datasources ?? []).filter((d) => d.type === INFINITY_PLUGIN_ID)
    })
}

/**
 * The custom headers of a provisioned datasource (jsonData.httpHeaderNameN with
 * secureJsonData.httpHeaderValueN) as they reach the service: Grafana's provisioning expands
 * `env` into them, then Infinity's backend fills `${__user.login}` with `login`.
 */
export function datasourceHeaders(
  datasource: ProvisionedDatasource,
  env: Readonly<Record<string, string | undefined>>,
  login: string,
): Record<string, string> {
  const headers: Record<string, string> = {}
  for (const [key, name] of Object.entries(datasource.jsonData ?? {})) {
    const n = /^httpHeaderName(\d+)$/.exec(key)?.[1]
    if (!n || typeof name !== 'string') continue
    const secret = datasource.secureJsonData?.[`httpHeaderValue${n}`]
    const value = expandProvisioningEnv(typeof secret === 'string' ? secret : '', env)
    headers[expandProvisioningEnv(name, env)] = value.replaceAll('${__user.login}', login)
  }
  return headers
}

/**
 * Grafana's expansion of environment variables in provisioning files: `$NAME` and `${NAME}` are
 * the variable's value (empty when unset), `$$` is a literal `$` (as Go's os.Expand reads it).
 */
export function expandProvisioningEnv(
  value: string,
  env: Readonly<Record<string, string | undefined>>,
): string {
  return value.replace(
    /\$(\$|\{([^}]*)\}|([A-Za-z_]\w*))/g,
    (_m, all: string, braced?: string, plain?: string) =>
      all === '$' ? '$' : (env[braced ?? plain ?? ''] ?? ''),
  )
}
