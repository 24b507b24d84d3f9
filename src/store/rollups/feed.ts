import { settlesWithin } from '../../domain/settles-within.js'
import type { Engine } from '../engine.js'
import type { SchemaLayout } from '../schema/layout.js'
import { DERIVED_TABLES, type DerivedTable } from './catalog.js'

/**
 * Feeds the derived tables (the rollups and the exceptions' copy) from the events table in the
 * background, so that an insert costs only its own write (a materialized view would run its
 * query inside every insert: 20–40 ms each on this project's machine, more than a small insert).
 *
 * Every row of `events` keeps the number of the block it was inserted in (`_block_number`,
 * `enable_block_number_column`); numbers are given as parts are committed, under the table's
 * lock, so every block up to the highest number committed is in. A pass counts the rows of the
 * blocks after the last one counted, up to the highest committed (read from system.parts), and
 * inserts their aggregates together with a marker row holding that number, in one part: readers
 * see the rows and the marker together or neither. Reads take the rows of later blocks from the
 * raw table (cube.ts: the gap), reading the marker in the same snapshot as the rows it covers, so
 * an event is counted exactly once from the moment its insert is acknowledged, whoever inserted
 * it (CVAT's Vector writing into the table included).
 *
 * A pass's deduplication token is the block it starts after: two passes from the same point (a
 * retry after a crash, another replica of the API) insert once, whatever each took in.
 */
export interface RollupFeed {
  /** Starts passing every `intervalMs`. */
  start(): void
  /** Runs passes now until every block committed before the call is counted (benchmarks, tests). */
  flush(): Promise<void>
  /** The last pass's failure, if it failed (the next one retries). */
  readonly lastError: string | null
  stop(): Promise<void>
}

export interface FeedOptions {
  /** ROLLUP_PASS_MS: how often a pass looks for new blocks; 0: never (reads take every new row raw). */
  readonly intervalMs: number
  /** Most event rows one pass takes in (more wait for the next); bounds its memory. @default 2000000 */
  readonly maxRows?: number
  /** Each pass's statement. @default 600000 */
  readonly timeoutMs?: number
}

/** The highest block a derived table's marker says it has counted (0: none). */
export function markerSql(db: string, table: DerivedTable): string {
  return `(SELECT max(blk) FROM ${db}.${table.name} WHERE ${table.markerWhere})`
}

/**
 * The rows of `events` a derived table has not counted yet: of its generation (older rows are the
 * backfill's), in blocks after its marker. The part name's last block number lets the engine skip
 * whole parts counted already without reading them.
 */
export function uncountedSql(db: string, table: DerivedTable): string {
  const marker = markerSql(db, table)
  return `rollup_gen >= ${table.since}
    AND toUInt64(splitByChar('_', _part)[3]) > ${marker}
    AND _block_number > ${marker}`
}

/**
 * What a pass over the blocks in (from, to] inserts into `table`: the rows it derives and its
 * marker. `lookups`: whether those blocks hold events that make the table look beyond them
 * (DerivedTable.lookups); without, its plain SELECT gives the same rows.
 */
function passRows(db: string, table: DerivedTable, from: number, to: number, lookups: boolean): string {
  const where = `rollup_gen >= ${table.since}
      AND toUInt64(splitByChar('_', _part)[3]) > ${from}
      AND _block_number > ${from} AND _block_number <= ${to}`
  const select = table.lookups && !lookups ? table.lookups.plainSelect(db, where) : table.select(db, where)
  return `SELECT ${table.columns.join(', ')}, toUInt64(0) AS blk FROM (${select})
            UNION ALL ${table.markerRow(String(to))}`
}

/** The events that make some table's pass look beyond its blocks (DerivedTable.lookups). */
const LOOKUPS = DERIVED_TABLES.flatMap((t) => (t.lookups ? [`(${t.lookups.when})`] : [])).join(' OR ') || '0'

/** A block committed after the marker: its number, its rows, and how many make a pass look further. */
interface Block {
  readonly block: number
  readonly rows: number
  readonly lookups: number
}

/**
 * A pass's insert of `rows` (passRows'). One block, hence one part: the rows and their marker
 * become visible together. The squashing thresholds are beyond any pass (maxRows bounds it), so
 * the insert squashes everything it gets into one block (0 would turn squashing off: a part per
 * block of the SELECT). The token is the block the pass starts after.
 */
function passInsert(db: string, table: DerivedTable, from: number, rows: string): string {
  return `INSERT INTO ${db}.${table.name} (${table.columns.join(', ')}, blk)
            SETTINGS insert_deduplication_token = 'rollup-feed:${table.name}:${table.since}:${from}',
              max_insert_threads = 1, min_insert_block_size_rows = 1000000000000,
              min_insert_block_size_bytes = 1000000000000000, optimize_on_insert = 1
            ${rows}`
}

export function createRollupFeed(engine: Engine, layout: SchemaLayout, options: FeedOptions): RollupFeed {
  const db = layout.db
  const maxRows = options.maxRows ?? 2_000_000
  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> | undefined
  let stopped = false
  let lastError: string | null = null
  /** Passes per table since the start, for the markers' clean-up. */
  const passes = new Map<string, number>()

  const markerOf = async (table: DerivedTable) => {
    const [row] = await engine.rows<{ b: string }>({
      name: 'rollups.feed_marker',
      sql: `SELECT ${markerSql(db, table)} AS b`,
      lane: 'background',
    })
    return Number(row?.b ?? 0)
  }

  /**
   * The blocks committed after `from` holding rows of the current generation, with their rows,
   * in order. From the events table itself (its snapshot holds every block up to its highest),
   * skipping the parts counted already by their names.
   */
  async function blocksAfter(from: number, since: number): Promise<Block[]> {
    const rows = await engine.rows<{ block: string; rows: string; lookups: string }>({
      name: 'rollups.feed_blocks',
      sql: `SELECT _block_number AS block, count() AS rows, countIf(${LOOKUPS}) AS lookups FROM ${db}.events
            WHERE rollup_gen >= {since:UInt8} AND toUInt64(splitByChar('_', _part)[3]) > {from:UInt64}
              AND _block_number > {from:UInt64}
            GROUP BY block ORDER BY block`,
      params: { from, since },
      lane: 'background',
    })
    return rows.map((r) => ({ block: Number(r.block), rows: Number(r.rows), lookups: Number(r.lookups) }))
  }

  /** One pass of one table up to `upTo`, at most maxRows (at least one block); false when it had nothing to count. */
  async function pass(table: DerivedTable, upTo: number, blocks: readonly Block[]) {
    const from = await markerOf(table)
    if (from >= upTo) return false
    let to = upTo
    let rows = 0
    let lookups = 0
    for (const b of blocks) {
      if (b.block <= from) continue
      rows += b.rows
      lookups += b.lookups
      if (rows > maxRows) {
        to = b.block
        break
      }
    }
    await engine.command({
      name: 'rollups.feed_pass',
      sql: passInsert(db, table, from, passRows(db, table, from, to, lookups > 0)),
      timeoutMs: options.timeoutMs ?? 600_000,
      lane: 'background',
    })
    // A plain MergeTree keeps every marker: the old ones go now and then (the newest stays).
    const count = (passes.get(table.name) ?? 0) + 1
    passes.set(table.name, count)
    if (!table.markersCollapse && count % 600 === 1) {
      await engine.command({
        name: 'rollups.feed_markers',
        sql: `DELETE FROM ${db}.${table.name} WHERE ${table.markerWhere} AND blk < ${to}`,
        lane: 'background',
      })
    }
    return true
  }

  /** Passes every table up to the blocks committed now; again while a pass had to stop short. */
  async function passAll(): Promise<void> {
    for (;;) {
      const markers = await Promise.all(DERIVED_TABLES.map(markerOf))
      const since = Math.min(...DERIVED_TABLES.map((t) => t.since))
      const blocks = await blocksAfter(Math.min(...markers), since)
      // Nothing committed since the table counted least: no pass (an idle service's tick is these
      // four reads, not ten).
      if (blocks.length === 0) return
      const upTo = blocks.at(-1)?.block ?? 0
      let short = false
      for (const table of DERIVED_TABLES) {
        if (stopped) return
        await pass(table, upTo, blocks)
        if ((await markerOf(table)) < upTo) short = true
      }
      if (!short) return
    }
  }

  function runOnce(): Promise<void> {
    running ??= passAll()
      .then(
        () => void (lastError = null),
        (error: unknown) => void (lastError = error instanceof Error ? error.message : String(error)),
      )
      .finally(() => (running = undefined))
    return running
  }

  function schedule(): void {
    if (stopped || options.intervalMs <= 0) return
    timer = setTimeout(() => {
      void runOnce().finally(schedule)
    }, options.intervalMs)
    timer.unref()
  }

  return {
    start() {
      if (timer || stopped) return
      schedule()
    },
    async flush() {
      // The pass running now may have started before the caller's blocks: wait, then pass again.
      await running
      await runOnce()
      if (lastError) throw new Error(lastError)
    },
    get lastError() {
      return lastError
    },
    async stop() {
      stopped = true
      clearTimeout(timer)
      // A pass on a hung store would hold the stop until its statement times out: what it did
      // not finish, the next start does again (markers say where it stood).
      await settlesWithin(running ?? Promise.resolve(), STOP_WAIT_MS)
    },
  }
}

/** How long a stop waits for the pass in flight. */
const STOP_WAIT_MS = 2_000
