import type { Engine } from './engine.js'
import { EVENT_INSERT_COLUMNS, EVENT_INSERT_FORMAT } from './event-record.js'

/** Serialised rows ready for one insert: newline-separated `serializeEvent` lines. */
export interface EventBlock {
  readonly body: string
  /** Identifies the block so a retried insert of it is deduplicated by the engine. */
  readonly dedupToken?: string
}

/** Writes one block of events in a single insert; resolves once ClickHouse has it. */
export async function insertEventBlock(engine: Engine, block: EventBlock): Promise<void> {
  await engine.insert({
    name: 'events.insert',
    table: `${engine.database}.events`,
    columns: EVENT_INSERT_COLUMNS,
    format: EVENT_INSERT_FORMAT,
    body: block.body,
    ...(block.dedupToken === undefined ? {} : { dedupToken: block.dedupToken }),
  })
}
