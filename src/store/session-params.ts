import { formatQueryParams } from '@clickhouse/client-common'

/**
 * A statement with its settings and parameters bound as one session `SET` in the same call,
 * for the embedded engine.
 *
 * chdb-node binds `query_params` through one process-wide chain (its `globalParamChain`: the
 * bundled libchdb's C-level parameter guard is not isolated per connection), so every
 * parameterised statement waited for every other, whatever connection it ran on: the rollups'
 * feed and the writes of alerts and exports queued behind the slowest dashboard read. Session
 * parameters belong to the connection, and chDB runs one call at a time per connection, so
 * statements on different connections run side by side (as many as engine.ts lets) and one call's
 * values cannot reach another's statement.
 *
 * The values are formatted by clickhouse-js's own formatter, the text the HTTP interface's
 * `param_` carries to a server, then quoted as a string literal: the engine parses them by the
 * placeholder's type exactly as it parses bound parameters. Never part of the SQL otherwise.
 *
 * `sql` preceded by one `SET` of `settings` and of the values of its placeholders, when it has
 * any. One statement, not one per setting (as chDB's own settings do): each statement of a call
 * costs the engine about 0.15 ms, which was 3–5 ms of every read's fixed cost (a few settings and
 * a dozen parameters) and of every acknowledged insert.
 */
export function bindInSession(
  sql: string,
  params: Readonly<Record<string, unknown>> = {},
  settings: Readonly<Record<string, unknown>> = {},
): string {
  const set = sessionSet(sql, params, settings)
  return set === null ? sql : `${set};\n${sql}`
}

/**
 * The one `SET` of `settings` and of the values that bind `sql`'s placeholders (for a call that
 * takes one statement), or null when there is nothing to set.
 */
export function sessionSet(
  sql: string,
  params: Readonly<Record<string, unknown>> = {},
  settings: Readonly<Record<string, unknown>> = {},
): string | null {
  // A session keeps its parameters: a placeholder with no value in this statement would read
  // another statement's, where binding would have refused it.
  for (const [, name] of sql.matchAll(PLACEHOLDER)) {
    if (!Object.hasOwn(params, name as string)) throw new Error(`query parameter ${name} has no value`)
  }
  const assignments = [
    ...Object.entries(settings).flatMap(([name, value]) =>
      value === undefined ? [] : [`${identifier(name, 'setting')} = ${settingValue(value)}`],
    ),
    ...Object.entries(params).map(
      ([name, value]) =>
        `param_${identifier(name, 'query parameter')} = ${stringLiteral(formatQueryParams({ value }))}`,
    ),
  ]
  return assignments.length > 0 ? `SET ${assignments.join(', ')}` : null
}

function identifier(name: string, what: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`${what} name ${JSON.stringify(name)} is not an identifier`)
  return name
}

function settingValue(value: unknown): string {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value)
  if (typeof value === 'boolean') return value ? '1' : '0'
  return stringLiteral(String(value))
}

/** A ClickHouse string literal holding `text` as it is (backslash escapes, which it reads). */
export function stringLiteral(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/
const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*):[A-Za-z]/g
