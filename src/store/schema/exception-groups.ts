import {
  FILE_BASENAME,
  FILE_PATH,
  FILE_REWRITES,
  GECKO_FRAME,
  GROUP_ID_HEX_DIGITS,
  MESSAGE_REWRITES,
  PYTHON_FRAME,
  V8_FRAME,
  type Rewrite,
} from '../../domain/exception-fingerprint.js'
import type { MigrationStep } from './step.js'
import { EXCEPTION_SCOPE } from '../../domain/scopes.js'

/**
 * Exception groups: `exception_group`, the group id of every `send:exception` row ('' for other
 * scopes), so that SQL can group exceptions (Query.exceptionGroups) and filter by group.
 *
 * Both places compute it. Our ingest sends it with every row (serializeEvent, from
 * domain/exception-fingerprint.ts, which the live hub uses too); the column's expression computes
 * it in the engine for rows other writers insert without it (CVAT's own pipeline may share this
 * table) and, when read, for parts written before the column existed (a table CVAT created).
 * Why ingest sends it: analysing this expression costs every insert that leaves it to the engine
 * about 10 ms whatever it holds (measured on chDB: 100-row inserts took 30 ms instead of 19),
 * which would double ingest's group-commit latency; a value sent is taken as it is. The column is
 * MATERIALIZED, so that `SELECT *` leaves it out (schema/events-table.ts), and our inserts name it
 * with `insert_allow_materialized_columns`. The SQL below is built from the same patterns as the
 * JavaScript, and a test holds the two equal on real stack traces.
 *
 * The second step keeps the expression equal to this code's at every start (changing it is
 * metadata only): rows stored before an algorithm change keep their old id until
 * `ALTER TABLE events MATERIALIZE COLUMN exception_group` recomputes them.
 */
export function exceptionGroupSteps(db: string): MigrationStep[] {
  const column = `exception_group String MATERIALIZED ${exceptionGroupSql('scope', 'payload')}`
  return [
    { name: 'events.exception_group', sql: `ALTER TABLE ${db}.events ADD COLUMN IF NOT EXISTS ${column}` },
    { name: 'events.exception_group_expression', sql: `ALTER TABLE ${db}.events MODIFY COLUMN ${column}` },
  ]
}

/** A SQL string literal (the patterns are ours, not input; escaped all the same). */
const literal = (text: string) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`

/**
 * A string field of the payload, '' when absent or of another type (JSONExtractString returns the
 * raw text of a number or an object on recent servers, '' on older ones: asking the type first
 * gives the same answer everywhere).
 */
const stringField = (key: string) =>
  `if(JSONType(_fp_payload, '${key}') = 'String', JSONExtractString(_fp_payload, '${key}'), '')`

/** Binds `value` to `name` inside `body` (ClickHouse has no LET in column expressions). */
const bind = (name: string, value: string, body: string) => `arrayMap(${name} -> ${body}, [${value}])[1]`

const rewrite = (sql: string, rules: readonly Rewrite[]) =>
  rules.reduce(
    (inner, rule) => `replaceRegexpAll(${inner}, ${literal(rule.pattern)}, ${literal(rule.replacement)})`,
    sql,
  )

/**
 * The group id as a SQL expression over the scope and payload columns, mirroring
 * `exceptionGroupOf` step for step: the innermost frame (last Python line, else first V8 or
 * Gecko/WebKit line), the normalised message and file, then the first hex digits of a SHA-256.
 */
export function exceptionGroupSql(scope: string, payload: string): string {
  const [py, v8, gecko] = [PYTHON_FRAME, V8_FRAME, GECKO_FRAME].map(literal) as [string, string, string]
  const frame = bind(
    '_fp_lines',
    `splitByChar('\\n', ${stringField('stack')})`,
    bind(
      '_fp_py',
      `arrayLast(_fp_l -> match(_fp_l, ${py}), _fp_lines)`,
      bind(
        '_fp_js',
        `arrayFirst(_fp_l -> match(_fp_l, ${v8}) OR match(_fp_l, ${gecko}), _fp_lines)`,
        `multiIf(
          match(_fp_py, ${py}), arrayReverse(extractGroups(_fp_py, ${py})),
          match(_fp_js, ${v8}), extractGroups(_fp_js, ${v8}),
          match(_fp_js, ${gecko}), extractGroups(_fp_js, ${gecko}),
          ['', ''])`,
      ),
    ),
  )
  const file = rewrite(
    `extract(extract(_fp_frame[2], ${literal(FILE_PATH)}), ${literal(FILE_BASENAME)})`,
    FILE_REWRITES,
  )
  const message = rewrite(stringField('message'), MESSAGE_REWRITES)
  const signature = bind(
    '_fp_payload',
    `ifNull(${payload}, '')`,
    bind('_fp_frame', frame, `concat(${message}, '\\n', _fp_frame[1], '\\n', ${file})`),
  )
  return `if(${scope} = ${literal(EXCEPTION_SCOPE)}, substring(lower(hex(SHA256(${signature}))), 1, ${GROUP_ID_HEX_DIGITS}), '')`
}
