import {
  CATEGORIES,
  CATEGORY_RULES,
  EXCLUDED_MESSAGE_PATTERNS,
  OTHER_CATEGORY,
} from '../domain/exception-categories.js'
import type { AuthorizedFilter } from '../domain/filter.js'
import type { Engine } from './engine.js'
import { eventConditions } from './filter-sql.js'
import type { Cube } from './rollups/cube.js'

/** The report's periods: the current range, and where the equal period before it starts. */
export interface ExceptionReportRange {
  readonly from: number
  readonly to: number
  /** from − (to − from): the previous period is [previousFrom, from). */
  readonly previousFrom: number
}

/** Counts of one cell of the report, in the current period and the previous one. */
export interface PeriodCounts {
  readonly count: number
  readonly users: number
  readonly previousCount: number
  readonly previousUsers: number
}

export interface ExceptionReportData {
  readonly totals: PeriodCounts
  readonly bySource: ReadonlyMap<string, PeriodCounts>
  readonly byCategory: ReadonlyMap<string, PeriodCounts>
  /** Keyed by `source\ncategory`. */
  readonly bySourceCategory: ReadonlyMap<string, PeriodCounts & { source: string; category: string }>
  /** The current period's counts per UTC day (epoch ms of its midnight) and category. */
  readonly byDay: readonly { dayMs: number; category: string; count: number }[]
}

export interface ExceptionMessageRow {
  readonly category: string
  /** The message, lower-cased (messages that differ in case only are one). */
  readonly message: string
  readonly source: string
  readonly count: number
  readonly users: number
}

/** The message as CVAT's dashboard reads it. */
const MESSAGE = "lowerUTF8(JSONExtractString(ifNull(payload, ''), 'message'))"

/**
 * The category ordinal (1-based index in CATEGORIES) of a row, by the rules in their order; the
 * patterns travel as typed parameters (`xc_<n>`), the SQL is built once from the rules' shape.
 */
const CATEGORY_SQL = (() => {
  const params: Record<string, string> = {}
  let n = 0
  const param = (value: string) => {
    const name = `xc_${n++}`
    params[name] = value
    return `{${name}:String}`
  }
  const branches = CATEGORY_RULES.map((rule) => {
    const ways = rule.matches.map(
      (way) =>
        `(${way
          .map((part) =>
            part.startsWith('^')
              ? `startsWith(msg, ${param(part.slice(1))})`
              : `position(msg, ${param(part)}) > 0`,
          )
          .join(' AND ')})`,
    )
    const condition = `(${ways.join(' OR ')})`
    return `${rule.clientOnly ? `source = 'client' AND ${condition}` : condition}, ${CATEGORIES.indexOf(rule.category) + 1}`
  })
  return { sql: `multiIf(${branches.join(', ')}, ${CATEGORIES.indexOf(OTHER_CATEGORY) + 1})`, params }
})()

/** Kept: not blank, and no expected refusal (CVAT's exclusions, case-insensitive). */
const KEPT_SQL = `trimBoth(msg) != '' AND NOT multiSearchAnyCaseInsensitive(JSONExtractString(ifNull(payload, ''), 'message'), {x_excluded:Array(String)})`

const categoryName = (ordinal: number | string) => CATEGORIES[Number(ordinal) - 1] ?? OTHER_CATEGORY

interface ReportRow {
  set_id: number
  current: number
  source: string
  category: number
  day_ms: string
  n: string
  users: string
}

/** The sets one scan is aggregated into (ClickHouse's GROUPING SETS need 22.6; this runs on 22.2). */
const SETS = { totals: 1, source: 2, category: 3, sourceCategory: 4, day: 5 } as const

/**
 * CVAT's "Users Exceptions" figures in one scan of both periods (`filter` is narrowed to
 * send:exception and spans [previousFrom, to]): counts and distinct users per period in total, per
 * source, per category and per (source, category), and the current period per day and category.
 * Per-cell distinct users are merged from states, so every level counts each user once. Read from
 * the exceptions' copy (their own small table, with the ones not copied yet) once it is complete:
 * in `events` they are spread over every granule of the range.
 */
export async function exceptionReport(
  engine: Engine,
  cube: Cube,
  filter: AuthorizedFilter,
  range: ExceptionReportRange,
): Promise<ExceptionReportData> {
  const where = eventConditions({ ...filter, from: range.previousFrom, to: range.to })
  const rows = await engine.rows<ReportRow>({
    name: 'exceptions.report',
    // The outer names differ from the inner ones: ClickHouse would read an alias in WHERE.
    sql: `SELECT set_id,
            if(set_id = ${SETS.day}, 1, cell_current) AS current,
            if(set_id IN (${SETS.source}, ${SETS.sourceCategory}), cell_source, '') AS source,
            if(set_id IN (${SETS.category}, ${SETS.sourceCategory}, ${SETS.day}), cell_category, 0) AS category,
            if(set_id = ${SETS.day}, cell_day_ms, 0) AS day_ms,
            sum(n) AS n, uniqExactMerge(u) AS users
          FROM (
            SELECT toUInt8(timestamp >= fromUnixTimestamp64Milli({x_from:Int64}, 'UTC')) AS cell_current,
              source AS cell_source, ${CATEGORY_SQL.sql} AS cell_category,
              toUInt64(toUnixTimestamp(toStartOfDay(timestamp, 'UTC'))) * 1000 AS cell_day_ms,
              count() AS n, uniqExactState(user_id) AS u
            FROM (SELECT timestamp, source, user_id, payload, ${MESSAGE} AS msg
                  FROM ${cube.rawSource(filter)} WHERE ${where.sql})
            WHERE ${KEPT_SQL}
            GROUP BY cell_current, cell_source, cell_category, cell_day_ms
          )
          ARRAY JOIN [1, 2, 3, 4, 5] AS set_id
          WHERE NOT (set_id = ${SETS.day} AND cell_current = 0)
          GROUP BY set_id, current, source, category, day_ms`,
    params: {
      ...where.params,
      ...CATEGORY_SQL.params,
      x_excluded: [...EXCLUDED_MESSAGE_PATTERNS],
      x_from: range.from,
    },
  })
  const totals = emptyCounts()
  const bySource = new Map<string, MutableCounts>()
  const byCategory = new Map<string, MutableCounts>()
  const bySourceCategory = new Map<string, MutableCounts & { source: string; category: string }>()
  const byDay: { dayMs: number; category: string; count: number }[] = []
  for (const row of rows) {
    const setId = Number(row.set_id)
    const current = Number(row.current) === 1
    const category = categoryName(row.category)
    const count = Number(row.n)
    const users = Number(row.users)
    let cell: MutableCounts | undefined
    if (setId === SETS.totals) cell = totals
    else if (setId === SETS.source) cell = cellOf(bySource, row.source, () => emptyCounts())
    else if (setId === SETS.category) cell = cellOf(byCategory, category, () => emptyCounts())
    else if (setId === SETS.sourceCategory) {
      cell = cellOf(bySourceCategory, `${row.source}\n${category}`, () => ({
        ...emptyCounts(),
        source: row.source,
        category,
      }))
    } else {
      byDay.push({ dayMs: Number(row.day_ms), category, count })
      continue
    }
    if (current) {
      cell.count = count
      cell.users = users
    } else {
      cell.previousCount = count
      cell.previousUsers = users
    }
  }
  byDay.sort((a, b) => a.dayMs - b.dayMs || a.category.localeCompare(b.category))
  return { totals, bySource, byCategory, bySourceCategory, byDay }
}

/**
 * The most frequent messages of the current period (CVAT's "Category Drilldown"): per category,
 * lower-cased message and source, with distinct users; `category` narrows to one category.
 */
export async function exceptionMessages(
  engine: Engine,
  cube: Cube,
  filter: AuthorizedFilter,
  category: string | null,
  limit: number,
): Promise<ExceptionMessageRow[]> {
  const where = eventConditions(filter)
  const ordinal = category === null ? 0 : CATEGORIES.indexOf(category) + 1
  if (category !== null && ordinal === 0) return []
  const rows = await engine.rows<{
    category: number
    message: string
    source: string
    n: string
    users: string
  }>({
    name: 'exceptions.report_messages',
    sql: `SELECT ${CATEGORY_SQL.sql} AS category, msg AS message, source, count() AS n, uniqExact(user_id) AS users
          FROM (SELECT source, user_id, payload, ${MESSAGE} AS msg
                FROM ${cube.rawSource(filter)} WHERE ${where.sql})
          WHERE ${KEPT_SQL}
          GROUP BY category, message, source
          ${ordinal === 0 ? '' : 'HAVING category = {x_category:UInt8}'}
          ORDER BY n DESC, message, source
          LIMIT {x_limit:UInt32}`,
    params: {
      ...where.params,
      ...CATEGORY_SQL.params,
      x_excluded: [...EXCLUDED_MESSAGE_PATTERNS],
      x_category: ordinal,
      x_limit: limit,
    },
  })
  return rows.map((r) => ({
    category: categoryName(r.category),
    message: r.message,
    source: r.source,
    count: Number(r.n),
    users: Number(r.users),
  }))
}

type MutableCounts = { -readonly [K in keyof PeriodCounts]: PeriodCounts[K] }

function emptyCounts(): MutableCounts {
  return { count: 0, users: 0, previousCount: 0, previousUsers: 0 }
}

function cellOf<T>(map: Map<string, T>, key: string, make: () => T): T {
  let cell = map.get(key)
  if (cell === undefined) {
    cell = make()
    map.set(key, cell)
  }
  return cell
}
