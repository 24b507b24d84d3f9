import { formatQueryParams } from '@clickhouse/client-common'

/**
 * A statement with its parameters bound as session `SET param_…` statements in the same call,
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
 */
export function bindAsSessionParams(sql: string, params: Readonly<Record<string, unknown>> = {}): string {
  return [...sessionParamSets(sql, params), sql].join(';\n')
}

/** The `SET param_…` statements that bind `sql`'s placeholders (for a call that takes one statement). */
export function sessionParamSets(sql: string, params: Readonly<Record<string, unknown>> = {}): string[] {
  // A session keeps its parameters: a placeholder with no value in this statement would read
  // another statement's, where binding would have refused it.
  for (const [, name] of sql.matchAll(PLACEHOLDER)) {
    if (!Object.hasOwn(params, name as string)) throw new Error(`query parameter ${name} has no value`)
  }
  return Object.entries(params).map(([name, value]) => {
    if (!IDENTIFIER.test(name))
      throw new Error(`query parameter name ${JSON.stringify(name)} is not an identifier`)
    return `SET param_${name} = ${stringLiteral(formatQueryParams({ value }))}`
  })
}

/** A ClickHouse string literal holding `text` as it is (backslash escapes, which it reads). */
export function stringLiteral(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/
const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*):[A-Za-z]/g
