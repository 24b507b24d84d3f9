import { settlesWithin } from '../../domain/settles-within.js'
import type { Engine } from '../engine.js'
import type { SchemaLayout } from '../schema/layout.js'
import { CELL_MAX_MS } from './choose.js'
import { DERIVED_TABLES, ROLLUP_TABLE, ROLLUPS, type DerivedTable, type RollupDef } from './catalog.js'

/** Which rollups hold every event (their backfill is complete): only those may answer reads. */
export interface RollupBackfill {
  /** The rollups reads may use now. */
  ready(): readonly RollupDef[]
  /** Whether a derived table (a rollup or a copy) may answer reads now. */
  isReady(name: string): boolean
  /**
   * Starts (or resumes) counting the rows from before the views, in the background. Called again
   * (the schema migrated anew), it forgets which tables were complete and reads that again from
   * `rollup_backfill`: tables dropped and rebuilt start over, reads use `events` meanwhile.
   */
  start(): void
  /** Resolves once every rollup is ready (benchmarks, tests). */
  whenReady(): Promise<void>
  /** For /ready and logs: rollups ready and pending, and the last failure (retried). */
  status(): { ready: string[]; pending: string[]; lastError: string | null }
  /** Stops after the statement running now, waiting for it at most STOP_WAIT_MS (a hung store). */
  stop(): Promise<void>
}

export interface BackfillOptions {
  /** false: no rollup is ever ready (reads use the raw table only). @default true */
  readonly enabled?: boolean
  /** Wait after a failed chunk before trying again. @default 10000 */
  readonly retryMs?: number
  /** Each chunk's statement. @default 3600000 */
  readonly chunkTimeoutMs?: number
}

const DAY_MS = 86_400_000

/**
 * Counts into the rollups the events inserted before their views existed (those with
 * `rollup_gen` below the rollup's generation; the views count all others), one day of events per
 * statement so that each is bounded whatever the table's size, recording each day done in
 * `rollup_backfill` so that a restart resumes where it stopped. A chunk cut short by a crash is
 * inserted again with the same deduplication token, so the engine keeps it once; several API
 * replicas running the backfill at once are deduplicated the same way.
 */
export function createRollupBackfill(
  engine: Engine,
  layout: SchemaLayout,
  options: BackfillOptions = {},
): RollupBackfill {
  const db = layout.db
  const ready = new Set<string>()
  let lastError: string | null = null
  let stopped = false
  let running: Promise<void> | undefined
  let again = false
  let wake: (() => void) | undefined
  let resolveReady: () => void = () => {}
  const allReady = new Promise<void>((resolve) => (resolveReady = resolve))

  async function completed(): Promise<Set<string>> {
    const rows = await engine.rows<{ rollup: string }>({
      name: 'rollups.backfill_complete',
      sql: `SELECT DISTINCT rollup FROM ${db}.rollup_backfill WHERE complete = 1`,
      lane: 'background',
    })
    return new Set(rows.map((r) => r.rollup))
  }

  async function backfill(rollup: DerivedTable): Promise<void> {
    const days = await engine.rows<{ day: string }>({
      name: 'rollups.backfill_days',
      sql: `SELECT DISTINCT toString(toDate(timestamp)) AS day FROM ${db}.events
            WHERE rollup_gen < {gen:UInt8} AND timestamp >= toDateTime64(0, 3, 'UTC')
              AND timestamp < fromUnixTimestamp64Milli({max:Int64}, 'UTC')
            ORDER BY day`,
      params: { gen: rollup.since, max: CELL_MAX_MS },
      timeoutMs: options.chunkTimeoutMs ?? 3_600_000,
      lane: 'background',
    })
    const done = new Set(
      (
        await engine.rows<{ day: string }>({
          name: 'rollups.backfill_done',
          sql: `SELECT toString(day) AS day FROM ${db}.rollup_backfill WHERE rollup = {rollup:String} AND complete = 0`,
          params: { rollup: rollup.name },
          lane: 'background',
        })
      ).map((r) => r.day),
    )
    for (const { day } of days) {
      if (stopped) return
      if (done.has(day)) continue
      const from = Date.parse(`${day}T00:00:00Z`)
      const where = `rollup_gen < ${rollup.since}
        AND timestamp >= fromUnixTimestamp64Milli(${from}, 'UTC')
        AND timestamp < fromUnixTimestamp64Milli(${from + DAY_MS}, 'UTC')`
      // Sorted output, so a retry cuts the same blocks and the token deduplicates each of them.
      await engine.command({
        name: 'rollups.backfill_chunk',
        lane: 'background',
        sql: `INSERT INTO ${db}.${rollup.name} (${rollup.columns.join(', ')})
              SETTINGS insert_deduplication_token = 'rollup-backfill:${rollup.name}:${rollup.since}:${day}'
              ${rollup.select(db, where)}
              ORDER BY ${rollup.order}`,
        timeoutMs: options.chunkTimeoutMs ?? 3_600_000,
      })
      await engine.command({
        name: 'rollups.backfill_record',
        sql: `INSERT INTO ${db}.rollup_backfill (rollup, day) VALUES ({rollup:String}, {day:Date})`,
        params: { rollup: rollup.name, day },
      })
    }
    if (stopped) return
    await engine.command({
      name: 'rollups.backfill_record',
      sql: `INSERT INTO ${db}.rollup_backfill (rollup, day, complete) VALUES ({rollup:String}, today(), 1)`,
      params: { rollup: rollup.name },
    })
  }

  async function loop(): Promise<void> {
    while (!stopped) {
      again = false
      try {
        for (const name of await completed()) ready.add(name)
        const pending = DERIVED_TABLES.filter((r) => !ready.has(r.name))
        for (const rollup of pending) {
          if (stopped) return
          await backfill(rollup)
          if (!stopped) ready.add(rollup.name)
        }
        lastError = null
        if (DERIVED_TABLES.every((r) => ready.has(r.name))) {
          resolveReady()
          return
        }
      } catch (error) {
        lastError = error instanceof Error ? error.message : String(error)
        if (stopped) return
        await new Promise<void>((resolve) => {
          wake = resolve
          setTimeout(resolve, options.retryMs ?? 10_000).unref()
        })
      }
    }
  }

  return {
    ready: () => (options.enabled === false || !ready.has(ROLLUP_TABLE) ? [] : ROLLUPS),
    isReady: (name) => options.enabled !== false && ready.has(name),
    start() {
      if (options.enabled === false || stopped) return
      ready.clear()
      if (running) {
        // A loop waiting to retry starts its next pass now; one that ended starts again.
        wake?.()
        again = true
        return
      }
      running = loop().finally(() => {
        running = undefined
        if (again && !stopped) this.start()
      })
    },
    whenReady: () => (options.enabled === false ? Promise.resolve() : allReady),
    status: () => ({
      ready: DERIVED_TABLES.filter((r) => ready.has(r.name)).map((r) => r.name),
      pending: DERIVED_TABLES.filter((r) => !ready.has(r.name)).map((r) => r.name),
      lastError,
    }),
    async stop() {
      stopped = true
      wake?.()
      // A pass on a hung store would hold the stop until its statement times out: what it did
      // not finish, the next start does again (markers say where it stood).
      await settlesWithin(running ?? Promise.resolve(), STOP_WAIT_MS)
    },
  }
}

/** How long a stop waits for the pass in flight. */
const STOP_WAIT_MS = 2_000
