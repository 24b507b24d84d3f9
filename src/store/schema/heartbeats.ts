import type { MigrationStep } from './step.js'

/**
 * `heartbeats`: CVAT's `user:activity` heartbeats, which are never stored as events (CVAT drops
 * them once they have fed working time) but which working time at another idle cutoff needs
 * (store/productivity-activity.ts recomputes it from every client event and heartbeat). Ingest
 * attaches each heartbeat of a client batch to a stored row of the same batch with the same job,
 * task and project, as its offset in milliseconds from that row's time (src/ingest/heartbeats.ts);
 * every other row holds an empty array, which costs next to nothing. Sent by ingest like
 * `exception_group`, so the engine evaluates nothing at insert; rows of other writers (CVAT's
 * own pipeline) get the empty default. MATERIALIZED, so CVAT's `SELECT *` leaves it out
 * (schema/events-table.ts); a table where it was a DEFAULT column is converted in place
 * (schema/rollup-generation.ts).
 */
export function heartbeatSteps(db: string): MigrationStep[] {
  return [
    {
      name: 'events.heartbeats',
      sql: `ALTER TABLE ${db}.events ADD COLUMN IF NOT EXISTS heartbeats Array(Int32) MATERIALIZED ${EMPTY_HEARTBEATS} CODEC(ZSTD(1))`,
    },
  ]
}

/** The column's expression: no heartbeats. */
export const EMPTY_HEARTBEATS = "CAST([], 'Array(Int32)')"
