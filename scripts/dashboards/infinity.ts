/**
 * What Grafana and the Infinity plugin (3.11, with infinity-libs jsonframer 1.3 and gframer 1.1)
 * do with a GraphQL target, re-enacted so that `dashboards:check` and the conformance test see
 * what Grafana would: interpolation (frontend template variables, then the backend's macros), the
 * request Infinity sends, and the frame its backend parser makes of the answer. Only what our
 * dashboards use is re-enacted; anything else is an error, never a guess.
 */
import jsonata from 'jsonata'

export type ColumnType =
  'string' | 'number' | 'timestamp' | 'timestamp_epoch' | 'timestamp_epoch_s' | 'boolean'
export const COLUMN_TYPES: readonly ColumnType[] = [
  'string',
  'number',
  'timestamp',
  'timestamp_epoch',
  'timestamp_epoch_s',
  'boolean',
]

export interface InfinityColumn {
  readonly selector: string
  readonly text?: string
  readonly type: ColumnType
}

export interface KeyValue {
  readonly key: string
  readonly value: string
}

/** The fields of an Infinity target that matter to a GraphQL query. */
export interface InfinityTarget {
  readonly refId?: string
  readonly datasource?: { readonly type?: string; readonly uid?: string }
  readonly type?: string
  readonly source?: string
  readonly parser?: string
  readonly format?: string
  readonly url?: string
  readonly url_options?: {
    readonly method?: string
    readonly body_type?: string
    readonly body_content_type?: string
    readonly body_graphql_query?: string
    readonly body_graphql_variables?: string
    readonly headers?: readonly KeyValue[]
    readonly params?: readonly KeyValue[]
  }
  readonly root_selector?: string
  readonly columns?: readonly InfinityColumn[]
}

/** A dashboard template variable, as far as interpolation needs it. */
export interface TemplateVariable {
  readonly name: string
  readonly multi?: boolean
  readonly includeAll?: boolean
  /** Grafana inserts a custom all value as it is (no formatting) for every format but text and percentencode. */
  readonly allValue?: string | null
}

/** A variable's selection: Grafana's "All", or the values chosen. */
export type Selection = 'all' | readonly string[]

export interface Interpolation {
  readonly fromMs: number
  readonly toMs: number
  /** `$__interval_ms`: Grafana's choice for the panel (range ÷ max data points, at least the panel's min interval). */
  readonly intervalMs: number
  readonly variables: readonly TemplateVariable[]
  readonly selections: Readonly<Record<string, Selection>>
  /** Each variable's options: what "All" expands to when the variable has no custom all value. */
  readonly options?: Readonly<Record<string, readonly string[]>>
}

/** Where a text is interpolated: the backend's macros reach the query text and URL, not the variables JSON. */
export type Field = 'url' | 'query' | 'variables' | 'root_selector' | 'header'

/** Grafana's template-variable syntax: `$name`, `[[name:format]]`, `${name.path:format}`. */
export const VARIABLE_PATTERN = /\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\$\{(\w+)(?:\.([^:^}]+))?(?::([^}]+))?\}/g

/** Names Grafana (or Infinity's backend) gives a value to without a dashboard variable. */
export function isBuiltin(name: string): boolean {
  return name.startsWith('__') || name === 'interval' || name === 'timeFilter'
}

/** Interpolates `text` as Grafana's frontend and then Infinity's backend would for `field`. */
export function interpolate(text: string, field: Field, ctx: Interpolation): string {
  return text.replace(VARIABLE_PATTERN, (match, ...groups: (string | undefined)[]) => {
    const [plain, bracket, bracketFormat, braced, path, bracedFormat] = groups
    const name = plain ?? bracket ?? braced ?? ''
    const format = bracketFormat ?? bracedFormat
    const variable = ctx.variables.find((v) => v.name === name)
    if (variable) return formatVariable(variable, ctx, format)
    if (name === '__from' || name === '__to')
      return formatTime(name === '__from' ? ctx.fromMs : ctx.toMs, format)
    if (name === '__interval_ms') return String(ctx.intervalMs)
    if (name === '__interval') return formatInterval(ctx.intervalMs)
    // Backend macros (pkg/models/macros.go): the query text and the URL only.
    if ((name === '__timeFrom' || name === '__timeTo') && (field === 'query' || field === 'url')) {
      return formatTime(name === '__timeFrom' ? ctx.fromMs : ctx.toMs, format)
    }
    if (isBuiltin(name) && path === undefined && name !== '__timeFrom' && name !== '__timeTo') {
      throw new Error(`${match}: a Grafana macro this re-enactment does not know`)
    }
    // Unknown to Grafana: left as it is (GraphQL and JSONata variables such as $filter or $sort).
    return match
  })
}

function formatTime(ms: number, format: string | undefined): string {
  if (format === undefined) return String(ms)
  if (format === 'date' || format === 'date:iso') return new Date(ms).toISOString()
  if (format === 'date:seconds') return String(Math.floor(ms / 1000))
  throw new Error(`time format '${format}' is not re-enacted; use none, date:iso or date:seconds`)
}

function formatInterval(ms: number): string {
  for (const [unit, size] of [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
  ] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`
  }
  return `${ms}ms`
}

function formatVariable(variable: TemplateVariable, ctx: Interpolation, format: string | undefined): string {
  const selection = ctx.selections[variable.name] ?? 'all'
  if (selection === 'all' && !variable.includeAll) {
    throw new Error(`variable '${variable.name}' has no "All" option; select values for it`)
  }
  if (selection === 'all' && variable.allValue) {
    if (format === 'text') return 'All'
    if (format === 'percentencode') return encodeURIComponent(variable.allValue)
    return variable.allValue
  }
  const values = selection === 'all' ? (ctx.options?.[variable.name] ?? []) : selection
  const value: string | readonly string[] = variable.multi || selection === 'all' ? values : (values[0] ?? '')
  const list = typeof value === 'string' ? [value] : value
  switch (format) {
    case undefined:
    case 'glob':
      return list.length > 1 ? `{${list.join(',')}}` : (list[0] ?? '')
    case 'json':
      return JSON.stringify(value)
    case 'csv':
    case 'raw':
      return list.join(',')
    case 'percentencode':
      return encodeURIComponent(list.length > 1 ? `{${list.join(',')}}` : (list[0] ?? ''))
    case 'doublequote':
      return list.map((v) => `"${v}"`).join(',')
    default:
      throw new Error(`variable format '${format}' is not re-enacted`)
  }
}

/** What Infinity's backend sends for a GraphQL target (pkg/infinity/client.go, headers.go). */
export interface InfinityRequest {
  readonly url: string
  readonly method: string
  readonly headers: Record<string, string>
  /** The body as sent: `{query, variables}`, variables null when their JSON did not parse into an object. */
  readonly body: { readonly query: string; readonly variables: Record<string, unknown> | null }
  /** The interpolated variables text, and why it was sent as null (Infinity only logs it). */
  readonly variablesText: string
  readonly variablesError: string | null
}

/** The Accept header Infinity sends with json and graphql queries. */
export const INFINITY_ACCEPT = 'application/json;q=0.9,text/plain'

/**
 * Builds the request Infinity would send: `baseUrl` is the datasource URL (target URLs not
 * starting with it are appended to it), `datasourceHeaders` the datasource's custom headers after its own macros.
 */
export function buildRequest(
  target: InfinityTarget,
  ctx: Interpolation,
  baseUrl: string,
  datasourceHeaders: Record<string, string> = {},
): InfinityRequest {
  const options = target.url_options ?? {}
  // GetQueryURL joins by concatenation (a base URL with a path keeps it; one ending in / doubles it).
  const relative = interpolate(target.url ?? '', 'url', ctx)
  const url = new URL(relative.startsWith(baseUrl) ? relative : baseUrl + relative)
  for (const param of options.params ?? [])
    url.searchParams.append(param.key, interpolate(param.value, 'url', ctx))
  const variablesText = interpolate(options.body_graphql_variables ?? '', 'variables', ctx)
  let variables: Record<string, unknown> | null = null
  let variablesError: string | null = null
  if (variablesText !== '') {
    try {
      const parsed: unknown = JSON.parse(variablesText)
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
        variables = parsed as Record<string, unknown>
      } else variablesError = 'the variables JSON is not an object'
    } catch (error) {
      variablesError = (error as Error).message
    }
  }
  const headers: Record<string, string> = {
    accept: INFINITY_ACCEPT,
    'content-type': 'application/json',
    ...lowerKeys(datasourceHeaders),
  }
  for (const header of options.headers ?? []) {
    const key = header.key.toLowerCase()
    const value = interpolate(header.value, 'header', ctx)
    // Query headers are added after the datasource's (Header.Add): two values, not a replacement.
    headers[key] = headers[key] === undefined ? value : `${headers[key]}, ${value}`
  }
  return {
    url: url.toString(),
    method: (options.method ?? 'GET').toUpperCase(),
    headers,
    body: { query: interpolate(options.body_graphql_query ?? '', 'query', ctx), variables },
    variablesText,
    variablesError,
  }
}

function lowerKeys(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k.toLowerCase(), v]))
}

/** A plain dotted path, which jsonframer tries with GJSON before it falls back to JSONata. */
const PLAIN_PATH = /^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$/

/**
 * jsonframer's root selector: a GJSON path when it resolves (for a plain dotted path: through
 * objects only), else a JSONata expression. Selectors that are not plain paths are taken as
 * JSONata; GJSON's own syntax (`#`, `*`, `|`, `@`) is not re-enacted.
 */
export async function applyRootSelector(document: unknown, selector: string): Promise<unknown> {
  if (selector === '') return document
  if (PLAIN_PATH.test(selector)) {
    const found = plainPath(document, selector)
    if (found !== undefined) return found
  }
  return (await jsonata(selector).evaluate(document)) as unknown
}

/** GJSON on a plain path: object keys only (a key on an array does not exist); undefined when absent. */
export function plainPath(document: unknown, path: string): unknown {
  let current: unknown = document
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined
    if (!(key in current)) return undefined
    current = (current as Record<string, unknown>)[key]
  }
  return current
}

export type FrameValue = string | number | boolean | Date | null

export interface FrameField {
  readonly name: string
  readonly type: ColumnType | 'json-string'
  readonly values: FrameValue[]
}

export interface Frame {
  readonly rows: number
  readonly fields: FrameField[]
}

/**
 * The frame the backend parser makes (jsonframer.ToFrame → gframer): rows from the root (an
 * array, or one object), each column read by its selector (a path, as GJSON reads plain paths)
 * and converted to its type; a column whose first non-null value is an object or array holds
 * that value's JSON text instead. Fields are in alphabetical order of their names, as gframer
 * puts them.
 */
export async function toFrame(document: unknown, target: InfinityTarget): Promise<Frame> {
  const root = await applyRootSelector(document, target.root_selector ?? '')
  const items: unknown[] = Array.isArray(root)
    ? root
    : root !== null && typeof root === 'object'
      ? [root]
      : []
  const columns = target.columns ?? []
  if (columns.length === 0) {
    const values = items.map((item) => (typeof item === 'string' ? item : JSON.stringify(item)))
    return { rows: items.length, fields: [{ name: target.refId ?? 'A', type: 'string', values }] }
  }
  const fields = columns.map((column): FrameField => {
    const raw = items.map((item) =>
      PLAIN_PATH.test(column.selector) ? plainPath(item, column.selector) : undefined,
    )
    const name = column.text || column.selector
    const firstNonNull = raw.find((v) => v !== null && v !== undefined)
    if (firstNonNull !== undefined && typeof firstNonNull === 'object') {
      return {
        name,
        type: 'json-string',
        values: raw.map((v) => (v === undefined ? null : JSON.stringify(v))),
      }
    }
    return { name, type: column.type, values: raw.map((v) => convert(v, column.type)) }
  })
  fields.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  return { rows: items.length, fields }
}

function convert(value: unknown, type: ColumnType): FrameValue {
  if (value === null || value === undefined) return null
  switch (type) {
    case 'string':
      return typeof value === 'string'
        ? value
        : typeof value === 'number' || typeof value === 'boolean'
          ? String(value)
          : null
    case 'number':
      if (typeof value === 'number') return value
      return typeof value === 'string' && /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(value)
        ? Number(value)
        : null
    case 'boolean':
      return typeof value === 'boolean'
        ? value
        : typeof value === 'string' && value.toLowerCase() === 'true'
          ? true
          : null
    case 'timestamp': {
      if (typeof value !== 'string' || value === '') return null
      const ms = Date.parse(value)
      return Number.isNaN(ms) ? null : new Date(ms)
    }
    case 'timestamp_epoch':
    case 'timestamp_epoch_s': {
      const n =
        typeof value === 'number'
          ? value
          : typeof value === 'string' && /^\d+$/.test(value)
            ? Number(value)
            : NaN
      return Number.isNaN(n) ? null : new Date(type === 'timestamp_epoch' ? n : n * 1000)
    }
  }
}

/**
 * With `format: timeseries`, Infinity turns a long frame (a time field and string fields) into a
 * wide one (one series per label set); the SDK refuses unless the times ascend, and the panel
 * then gets the long frame, which a time-series panel cannot draw. True when that conversion holds.
 */
export function longFrameIsSorted(frame: Frame): boolean {
  const time = frame.fields.find((f) => f.type === 'timestamp')
  if (!time || !frame.fields.some((f) => f.type === 'string')) return true
  const ms = time.values.map((v) => (v instanceof Date ? v.getTime() : NaN))
  return ms.every((v, i) => i === 0 || (ms[i - 1] as number) <= v)
}
