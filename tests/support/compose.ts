import { parse } from 'yaml'

/**
 * What `docker compose config` does before any container runs, for tests of deploy/ without a
 * Docker engine: each file is read as YAML (anchors and `<<` merge keys resolved), every string
 * value interpolated with compose's variable rules, and the files merged in order.
 *
 * Interpolation (compose-go's rules): `$$` is a literal `$`; `$VAR` and `${VAR}` the value or
 * empty; `${VAR:-default}` the default when unset or empty, `${VAR-default}` only when unset;
 * `${VAR:?message}` fails when unset or empty, `${VAR?message}` only when unset;
 * `${VAR:+other}` / `${VAR+other}` the other value when set (and non-empty). Defaults may nest.
 * As in compose, every value of every file is interpolated, whichever services a command names.
 */
export class InterpolationError extends Error {}

export type Env = Readonly<Record<string, string | undefined>>

export function interpolate(text: string, env: Env): string {
  let out = ''
  let i = 0
  while (i < text.length) {
    const c = text[i]
    if (c !== '$') {
      out += c
      i += 1
      continue
    }
    const next = text[i + 1]
    if (next === '$') {
      out += '$'
      i += 2
    } else if (next === '{') {
      const end = closingBrace(text, i + 2)
      out += substitute(text.slice(i + 2, end), env)
      i = end + 1
    } else {
      const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i + 1))?.[0]
      if (name === undefined) {
        out += '$'
        i += 1
      } else {
        out += env[name] ?? ''
        i += 1 + name.length
      }
    }
  }
  return out
}

function closingBrace(text: string, from: number): number {
  let depth = 1
  for (let i = from; i < text.length; i++) {
    if (text[i] === '{') depth += 1
    if (text[i] === '}' && (depth -= 1) === 0) return i
  }
  throw new InterpolationError(`unterminated \${ in ${JSON.stringify(text)}`)
}

function substitute(expression: string, env: Env): string {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?+])([\s\S]*))?$/.exec(expression)
  if (!m) throw new InterpolationError(`invalid interpolation format for \${${expression}}`)
  const [, name = '', colon, operator, operand = ''] = m
  const value = env[name]
  const unset = colon === ':' ? value === undefined || value === '' : value === undefined
  switch (operator) {
    case '-':
      return unset ? interpolate(operand, env) : (value ?? '')
    case '?':
      if (unset) throw new InterpolationError(`required variable ${name} is missing a value: ${operand}`)
      return value ?? ''
    case '+':
      return unset ? '' : interpolate(operand, env)
    default:
      return value ?? ''
  }
}

/** Every string in a parsed document, interpolated (keys are not, as in compose). */
export function interpolateValues(value: unknown, env: Env): unknown {
  if (typeof value === 'string') return interpolate(value, env)
  if (Array.isArray(value)) return value.map((item) => interpolateValues(item, env))
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolateValues(v, env)]))
  }
  return value
}

/**
 * A `.env` file as compose reads it: `KEY=value` lines, `#` comments (inline only after a space
 * in unquoted values), single quotes literal, double quotes interpolated, unquoted values
 * interpolated with what came before.
 */
export function parseDotEnv(text: string, outer: Env = {}): Record<string, string> {
  const vars: Record<string, string> = {}
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim()
    if (line === '' || line.startsWith('#')) continue
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/.exec(line)
    if (!m) throw new InterpolationError(`unexpected line in .env: ${line}`)
    const [, key = '', rest = ''] = m
    const env = { ...vars, ...outer }
    if (rest.startsWith("'")) vars[key] = rest.slice(1, rest.indexOf("'", 1))
    else if (rest.startsWith('"')) vars[key] = interpolate(rest.slice(1, rest.lastIndexOf('"')), env)
    else vars[key] = interpolate(rest.replace(/\s+#.*$/, ''), env)
  }
  return vars
}

export type Compose = Record<string, unknown> & {
  services: Record<string, Service>
}

export interface Service {
  image?: string
  build?: { context?: string; dockerfile?: string; target?: string }
  environment?: Record<string, string | number | boolean | null> | string[]
  labels?: Record<string, string> | string[]
  ports?: (string | { published?: string | number; target?: number })[]
  networks?: string[] | Record<string, { aliases?: string[] } | null>
  entrypoint?: string | string[]
  [key: string]: unknown
}

/** One compose file: YAML with merge keys, then interpolated. */
export function loadComposeFile(text: string, env: Env): Compose {
  const doc = parse(text, { merge: true }) as Compose
  return interpolateValues(doc, env) as Compose
}

/**
 * Files merged as `docker compose -f a -f b` does, near enough for these checks: mappings merge
 * key by key (a later file's scalar wins), sequences are concatenated without repeats, and a
 * service's `environment` and `labels` are compared as mappings whatever form they take.
 */
export function mergeCompose(files: readonly Compose[]): Compose {
  return files.map(normalized).reduce((a, b) => deepMerge(a, b) as Compose, { services: {} } as Compose)
}

function normalized(file: Compose): Compose {
  const services = Object.fromEntries(
    Object.entries(file.services ?? {}).map(([name, service]) => [
      name,
      {
        ...service,
        ...(service.environment ? { environment: asMap(service.environment) } : {}),
        ...(service.labels ? { labels: asMap(service.labels) } : {}),
      },
    ]),
  )
  return { ...file, services }
}

function asMap(value: Record<string, unknown> | string[]): Record<string, string> {
  if (Array.isArray(value)) {
    return Object.fromEntries(
      value.map((entry) => {
        const at = entry.indexOf('=')
        return at < 0 ? [entry, ''] : [entry.slice(0, at), entry.slice(at + 1)]
      }),
    )
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scalar(v)]))
}

/** An environment or label value as compose passes it on: scalars as text, null as empty. */
function scalar(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return JSON.stringify(value)
}

function deepMerge(a: unknown, b: unknown): unknown {
  if (Array.isArray(a) && Array.isArray(b)) {
    const first: unknown[] = a
    const seen = new Set(first.map((item) => JSON.stringify(item)))
    return [...first, ...(b as unknown[]).filter((item) => !seen.has(JSON.stringify(item)))]
  }
  if (isObject(a) && isObject(b)) {
    const out: Record<string, unknown> = { ...a }
    for (const [key, value] of Object.entries(b)) out[key] = key in a ? deepMerge(a[key], value) : value
    return out
  }
  return b === undefined ? a : b
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value)

/** A service's environment as a mapping (after mergeCompose it is one already). */
export function environmentOf(service: Service | undefined): Record<string, string> {
  return service?.environment ? asMap(service.environment) : {}
}

/** A service's labels as a mapping. */
export function labelsOf(service: Service | undefined): Record<string, string> {
  return service?.labels ? asMap(service.labels) : {}
}

/** The host ports a service publishes (`8080:80`, `127.0.0.1:8080:80`, the long form). */
export function publishedPorts(service: Service): string[] {
  return (service.ports ?? []).flatMap((port) => {
    if (typeof port === 'object') return port.published === undefined ? [] : [String(port.published)]
    const parts = String(port).split(':')
    return parts.length >= 2 ? [parts[parts.length - 2] as string] : []
  })
}
