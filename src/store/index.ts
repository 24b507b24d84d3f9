import type { StoreConfig } from '../config.js'
import { createEngine, type Engine } from './engine.js'
import { insertEventBlock, type EventBlock } from './events-write.js'
import { migrate } from './migrations.js'

/**
 * The service's storage: named store functions over one engine. Everything above this layer
 * calls these functions and never sees SQL or @clickhouse/client.
 */
export interface Store {
  readonly kind: Engine['kind']
  /** Creates or upgrades the schema; idempotent. */
  migrate(): Promise<void>
  insertEventBlock(block: EventBlock): Promise<void>
  /** True when the engine answers a trivial query. */
  ping(): Promise<boolean>
  close(): Promise<void>
  /** The engine, for store modules that add query families (reads, exports, rollups). */
  readonly engine: Engine
}

export function createStore(config: StoreConfig): Store {
  const engine = createEngine(config)
  return {
    kind: engine.kind,
    engine,
    migrate: () => migrate(engine, { retentionDays: config.retentionDays }),
    insertEventBlock: (block) => insertEventBlock(engine, block),
    ping: () => engine.ping(),
    close: () => engine.close(),
  }
}

export type { EventBlock } from './events-write.js'
export type { EventRecord } from './event-record.js'
export { serializeEvent, deserializeEvent } from './event-record.js'
export { StoreUnavailableError, QueryTimeoutError } from './errors.js'
