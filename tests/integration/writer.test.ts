import { rm } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config.js'
import { Spool } from '../../src/ingest/spool.js'
import { createEventWriter } from '../../src/ingest/writer.js'
import { emptyRecord } from '../../src/ingest/records.js'
import { silentLogger } from '../../src/observability/logger.js'
import { createEngine, type Engine } from '../../src/store/engine.js'
import { createStore, type EventRecord, type Store } from '../../src/store/index.js'
import { tempDir } from '../support/app.js'

let dir: string
let store: Store
let sql: Engine
beforeAll(async () => {
  dir = await tempDir('aa-writer-')
  const config = loadConfig({ DATA_DIR: dir }).store
  store = createStore(config)
  await store.migrate()
  sql = createEngine(config)
})
afterAll(async () => {
  await sql.close()
  await store.close()
  await rm(dir, { recursive: true, force: true })
})

const record = (marker: string, i: number): EventRecord => ({
  ...emptyRecord(),
  scope: 'draw:object',
  source: 'client',
  objVal: marker,
  objId: String(i),
  timestampMs: Date.UTC(2024, 0, 1) + i,
})

async function countMarker(marker: string): Promise<number> {
  const [row] = await sql.rows<{ n: string }>({
    name: 'test.count',
    sql: 'SELECT count() AS n FROM default.events WHERE obj_val = {m:String}',
    params: { m: marker },
  })
  return Number(row?.n)
}

describe('event writer', () => {
  it('group-commits concurrent writes into few inserts, losing none', async () => {
    let inserts = 0
    const counting = {
      ingest: {
        insert: (b: Parameters<Store['ingest']['insert']>[0]) => (inserts++, store.ingest.insert(b)),
      },
    }
    const published: number[] = []
    const writer = createEventWriter({
      store: counting,
      spool: await Spool.open(path.join(dir, 'spool-a')),
      maxRows: 100_000,
      retryMs: 1_000,
      publish: (records) => void published.push(records.length),
      log: silentLogger,
    })
    const outcomes = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        writer.write(Array.from({ length: 10 }, (_, j) => record('group', i * 10 + j))),
      ),
    )
    expect(outcomes.every((o) => o === 'stored')).toBe(true)
    expect(await countMarker('group')).toBe(2_000)
    expect(inserts).toBeLessThan(20)
    expect(published.reduce((a, b) => a + b, 0)).toBe(2_000)
    await writer.close()
  })

  it('splits a backlog larger than INSERT_MAX_ROWS into several inserts', async () => {
    let inserts = 0
    const counting = {
      ingest: {
        insert: (b: Parameters<Store['ingest']['insert']>[0]) => (inserts++, store.ingest.insert(b)),
      },
    }
    const writer = createEventWriter({
      store: counting,
      spool: await Spool.open(path.join(dir, 'spool-b')),
      maxRows: 25,
      retryMs: 1_000,
      publish: () => {},
      log: silentLogger,
    })
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        writer.write(Array.from({ length: 10 }, (_, j) => record('split', i * 10 + j))),
      ),
    )
    expect(await countMarker('split')).toBe(100)
    expect(inserts).toBeGreaterThanOrEqual(4)
    await writer.close()
  })

  it('rejects only the batch the engine refuses when a grouped insert fails', async () => {
    const writer = createEventWriter({
      store,
      spool: await Spool.open(path.join(dir, 'spool-c')),
      maxRows: 100_000,
      retryMs: 1_000,
      publish: () => {},
      log: silentLogger,
    })
    // The writer trusts its callers (ingest validates); an id the engine cannot parse stands in for a bug.
    const poisoned = { ...record('isolate', 0), eventId: 'not-a-uuid' }
    const results = await Promise.allSettled([
      writer.write([record('isolate', 1)]),
      writer.write([poisoned]),
      writer.write([record('isolate', 2)]),
    ])
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
    expect(await countMarker('isolate')).toBe(2)
    await writer.close()
  })
})
