import { rm } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config.js'
import { exceptionGroupOf } from '../../src/domain/exception-fingerprint.js'
import { Spool } from '../../src/ingest/spool.js'
import { createEventWriter } from '../../src/ingest/writer.js'
import { silentLogger } from '../../src/observability/logger.js'
import { createEngine, type Engine } from '../../src/store/engine.js'
import { createStore } from '../../src/store/index.js'
import { insertEventBlock } from '../../src/store/events-write.js'
import { serializeEvent } from '../../src/store/event-record.js'
import { migrate } from '../../src/store/migrations.js'
import { tempDir } from '../support/app.js'
import { eventMix, exceptionPayload, random } from '../support/event-mix.js'
import { SAMPLES } from '../support/stack-traces.js'
import { cvatEventsTableDdl } from '../support/cvat-table.js'

// The engine stores each exception's group id (a MATERIALIZED column); the live hub computes it
// in JavaScript. They must agree on every payload, or a pushed event's group would not be the
// group Query.exceptionGroups lists.
let dir: string
const engines: Engine[] = []
beforeAll(async () => {
  dir = await tempDir('aa-groups-')
})
afterAll(async () => {
  for (const engine of engines) await engine.close()
  await rm(dir, { recursive: true, force: true })
})

/** An engine on a database of the test's own: each test tells its story from the start, in any order. */
async function databaseOf(name: string): Promise<Engine> {
  const engine = createEngine(loadConfig({ DATA_DIR: dir, CLICKHOUSE_DATABASE: name }).store)
  engines.push(engine)
  await engine.command({ name: 'test.db', sql: `CREATE DATABASE IF NOT EXISTS ${name}` })
  return engine
}

const rnd = random(3)
const PAYLOADS = [
  ...SAMPLES.map((s) => JSON.stringify({ message: s.message, stack: s.stack })),
  ...Array.from({ length: 40 }, () => exceptionPayload(rnd)),
]

/** A table CVAT created, with rows CVAT wrote (its own columns only), then upgraded by our migration. */
async function upgradedCvatTable(engine: Engine, payloads: readonly string[] = PAYLOADS): Promise<void> {
  await engine.command({ name: 'test.cvat_table', sql: cvatEventsTableDdl(`${engine.database}.events`) })
  await engine.insert(cvatInsert(engine, payloads))
  await migrate(engine, { retentionDays: 0 })
}

const stored = (engine: Engine) =>
  engine.rows<{ scope: string; payload: string | null; exception_group: string }>({
    name: 'test.groups',
    sql: `SELECT scope, payload, exception_group FROM ${engine.database}.events`,
  })

/** What CVAT's pipeline inserts: its own columns only. */
const cvatInsert = (engine: Engine, payloads: readonly string[]) =>
  ({
    name: 'test.cvat_rows',
    table: `${engine.database}.events`,
    columns: ['scope', 'source', 'timestamp', 'payload'],
    format: 'JSONEachRow',
    body: payloads
      .map((payload) =>
        JSON.stringify({
          scope: 'send:exception',
          source: 'client',
          timestamp: '2024-01-01 10:00:00',
          payload,
        }),
      )
      .join('\n'),
  }) as const

describe('exception_group column', () => {
  it('groups the rows of a table CVAT created, written before the column existed, as JavaScript does', async () => {
    const engine = await databaseOf('cvat')
    await upgradedCvatTable(engine)
    // …and what it inserts once the column exists: the column's DEFAULT computes the group.
    await engine.insert(cvatInsert(engine, PAYLOADS.slice(0, 10)))

    const rows = await stored(engine)
    expect(rows).toHaveLength(PAYLOADS.length + 10)
    for (const row of rows)
      expect(row.exception_group, row.payload ?? 'null').toBe(exceptionGroupOf(row.scope, row.payload))
    expect(new Set(rows.map((r) => r.exception_group)).size).toBeGreaterThan(SAMPLES.length)
  })

  it('computes the same id as JavaScript for every row our ingest writes, and none for other scopes', async () => {
    const engine = await databaseOf('ours')
    await upgradedCvatTable(engine, [])
    const events = eventMix(400, 21)
    await insertEventBlock(engine, { body: events.map(serializeEvent).join('\n') })
    const rows = await stored(engine)
    expect(rows).toHaveLength(400)
    expect(rows.filter((r) => r.scope === 'send:exception').length).toBeGreaterThan(0)
    for (const row of rows)
      expect(row.exception_group, row.payload ?? 'null').toBe(exceptionGroupOf(row.scope, row.payload))
    expect(rows.filter((r) => r.scope !== 'send:exception').every((r) => r.exception_group === '')).toBe(true)
  })

  it('inserts a block spooled before the column existed, with its groups', async () => {
    const engine = await databaseOf('spooled')
    await upgradedCvatTable(engine)
    const spoolDir = path.join(dir, 'spool')
    const spool = await Spool.open(spoolDir)
    const events = eventMix(30, 5).map((e) => ({ ...e, scope: 'send:exception' }))
    // A line as an older version spooled it: CVAT's 19 columns after the event id, no group.
    const oldBody = events.map((e) => serializeEvent(e).split('\t').slice(0, 20).join('\t')).join('\n')
    await spool.append({ token: 'old-block', body: oldBody })
    await spool.close()
    const store = createStore(loadConfig({ DATA_DIR: dir, CLICKHOUSE_DATABASE: 'spooled' }).store)
    const published: string[] = []
    const writer = createEventWriter({
      store,
      spool: await Spool.open(spoolDir),
      maxRows: 1000,
      retryMs: 60_000,
      publish: (records) => published.push(...records.map((r) => r.eventId)),
      log: silentLogger,
    })
    await writer.retrySpool()
    await writer.close()
    await store.close()
    expect(published).toEqual(events.map((e) => e.eventId))
    const rows = await engine.rows<{ payload: string; exception_group: string }>({
      name: 'test.replayed',
      sql: `SELECT payload, exception_group FROM spooled.events WHERE event_id IN {ids:Array(UUID)}`,
      params: { ids: events.map((e) => e.eventId) },
    })
    expect(rows).toHaveLength(30)
    for (const row of rows) expect(row.exception_group).toBe(exceptionGroupOf('send:exception', row.payload))
  })

  it('keeps the expression up to date at every start without rewriting data', async () => {
    const engine = await databaseOf('restarted')
    await upgradedCvatTable(engine)
    await migrate(engine, { retentionDays: 0 })
    const [mutations] = await engine.rows<{ n: string }>({
      name: 'test.mutations',
      // Other concerns may rewrite a CVAT table once (its column types); this one never does.
      sql: `SELECT count() AS n, groupArray(command) AS c FROM system.mutations
            WHERE database = 'restarted' AND table = 'events' AND command LIKE '%exception_group%'`,
    })
    expect(Number(mutations?.n), JSON.stringify(mutations)).toBe(0)
  })
})
