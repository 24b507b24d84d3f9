import { rm } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config.js'
import { httpTransportBody } from '../../src/demo/cvat-wire.js'
import type { EventRecord } from '../../src/domain/event.js'
import { createLoggerIngest } from '../../src/ingest/logger-ingest.js'
import { silentLogger } from '../../src/observability/logger.js'
import { createStore, serializeEvent, type Store } from '../../src/store/index.js'
import { tempDir } from '../support/app.js'

// The store refusing rows that validation let through should not happen; if it does, CVAT must
// still not be stalled: the batch is written event by event and what the store refuses is
// quarantined with its message. A local failure (the spool's disk) is ours, and is answered as an
// error so that CVAT sends the batch again.

let dir: string
let store: Store
beforeAll(async () => {
  dir = await tempDir('aa-logger-ingest-')
  store = createStore(loadConfig({ DATA_DIR: dir }).store)
  await store.migrate()
})
afterAll(async () => {
  await store.close()
  await rm(dir, { recursive: true, force: true })
})

/** A writer over the real store that refuses events marked 'poison' as ClickHouse refuses a row. */
const writer = {
  async write(records: readonly EventRecord[]) {
    if (records.some((r) => r.objVal === 'poison')) {
      throw Object.assign(new Error('Code: 27. DB::Exception: Cannot parse input'), { code: '27' })
    }
    await store.ingest.insert({ body: records.map(serializeEvent).join('\n') })
    return 'stored' as const
  },
}

const event = (objVal: string) => ({
  scope: 'update:task',
  timestamp: '1716393600.5',
  source: 'server',
  payload: '{"request":{"id":"isolate"}}',
  obj_val: objVal,
})

describe('CVAT logger ingest when the store refuses events', () => {
  it('stores the rest of the batch and quarantines what the store refused, with its message', async () => {
    const ingest = createLoggerIngest({ writer, quarantine: store.quarantine, log: silentLogger })
    const items = [event('fine-1'), event('poison'), event('fine-2')]
    const bytes = Buffer.from(httpTransportBody(items))
    const result = await ingest.batch(
      { bytes, items, isArray: true },
      { requestId: 'r-1', receivedAtMs: Date.now() },
    )
    expect(result).toEqual({ stored: 2, quarantined: 1, outcome: 'stored' })
    const page = await store.quarantine.page({ first: 10 })
    expect(page.events.map((e) => [e.reason, e.position, e.raw])).toEqual([
      ['store_rejected', 1, httpTransportBody([event('poison')]).slice(1, -1)],
    ])
    expect(page.events[0]?.message).toContain('Cannot parse input')
  })

  it('fails the batch (so that CVAT sends it again) when the failure is a local one', async () => {
    const full = {
      write: () =>
        Promise.reject(
          Object.assign(new Error('ENOSPC: no space left'), { syscall: 'write', code: 'ENOSPC' }),
        ),
    }
    const ingest = createLoggerIngest({ writer: full, quarantine: store.quarantine, log: silentLogger })
    const quarantinedBefore = (await store.quarantine.page({ first: 10 })).events.length
    const items = [event('disk')]
    const bytes = Buffer.from(httpTransportBody(items))
    await expect(
      ingest.batch({ bytes, items, isArray: true }, { requestId: 'r-2', receivedAtMs: Date.now() }),
    ).rejects.toThrow('ENOSPC')
    // Nothing quarantined: CVAT sends the batch again.
    expect((await store.quarantine.page({ first: 10 })).events).toHaveLength(quarantinedBefore)
  })
})
