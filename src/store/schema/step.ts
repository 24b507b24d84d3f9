/**
 * One idempotent schema change (IF NOT EXISTS and the like): migrations run every step at every
 * start, so a crash half-way, an existing CVAT table and an up-to-date database all converge.
 */
export interface MigrationStep {
  /** Names the statement (`migrate.<name>` in logs and ClickHouse's query_log). */
  readonly name: string
  readonly sql: string
}
