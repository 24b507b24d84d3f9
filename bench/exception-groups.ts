/**
 * What grouping exceptions costs ingest: the time of a 100-row insert into the events table
 * without the exception_group column, with it computed by the engine (MATERIALIZED, the
 * alternative not taken), and as it is (a DEFAULT, the value sent by ingest); and the JavaScript
 * fingerprint per exception. Tables are copies of the events table in one chDB store.
 *
 *   npm run bench:exception-groups [-- --inserts 30]
 */
import { rm } from 'node:fs/promises'
import os from 'node:os'
import { parseArgs } from 'node:util'
import { loadConfig } from '../src/config.js'
import { exceptionSignature } from '../src/domain/exception-fingerprint.js'
import { createEngine } from '../src/store/engine.js'
import { EVENT_INSERT_COLUMNS, serializeEvent } from '../src/store/event-record.js'
import { migrate } from '../src/store/migrations.js'
import { exceptionGroupSql } from '../src/store/schema/exception-groups.js'
import { tempDir } from '../tests/support/app.js'
import { eventMix } from '../tests/support/event-mix.js'
import { SAMPLES } from '../tests/support/stack-traces.js'

const { values } = parseArgs({ options: { inserts: { type: 'string', default: '30' } } })
const INSERTS = Number(values.inserts)

console.log(
  `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}, load ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
)
const dir = await tempDir('aa-bench-groups-')
const engine = createEngine(loadConfig({ DATA_DIR: dir }).store)
await migrate(engine, { retentionDays: 0 })
const db = engine.database
const variants = {
  'no column': null,
  'MATERIALIZED (engine computes)': `String MATERIALIZED ${exceptionGroupSql('scope', 'payload')}`,
} as const
for (const [i, column] of Object.values(variants).entries()) {
  await engine.command({ name: 'bench.copy', sql: `CREATE TABLE ${db}.t${i} AS ${db}.events` })
  await engine.command({ name: 'bench.drop', sql: `ALTER TABLE ${db}.t${i} DROP COLUMN exception_group` })
  if (column)
    await engine.command({
      name: 'bench.add',
      sql: `ALTER TABLE ${db}.t${i} ADD COLUMN exception_group ${column}`,
    })
}
// 1 % exceptions, as a busy annotation team sends.
const mix = eventMix(1000, 7).map((e, i) => ({
  ...e,
  scope: i % 100 === 0 ? 'send:exception' : 'change:frame',
}))
const GROUP = EVENT_INSERT_COLUMNS.indexOf('exception_group')
const body = (full: boolean) =>
  Array.from({ length: 100 }, (_, i) => {
    const line = serializeEvent({
      ...(mix[i % mix.length] as (typeof mix)[number]),
      eventId: crypto.randomUUID(),
    })
    return full
      ? line
      : line
          .split('\t')
          .filter((_, j) => j !== GROUP)
          .join('\t')
  }).join('\n')
const tables = [
  { name: 'no column', table: 't0', full: false },
  { name: 'MATERIALIZED (engine computes)', table: 't1', full: false },
  { name: 'DEFAULT, value sent by ingest (as built)', table: 'events', full: true },
]
const times = new Map<string, number[]>()
for (let round = 0; round < INSERTS; round++) {
  for (const { name, table, full } of tables) {
    const started = performance.now()
    await engine.insert({
      name: 'bench.insert',
      table: `${db}.${table}`,
      columns: full ? EVENT_INSERT_COLUMNS : EVENT_INSERT_COLUMNS.filter((c) => c !== 'exception_group'),
      format: 'TabSeparated',
      body: body(full),
    })
    times.set(name, [...(times.get(name) ?? []), performance.now() - started])
  }
}
console.log('\n| 100-row insert into | median ms | p90 ms |\n|---|---|---|')
for (const [name, list] of times) {
  list.sort((a, b) => a - b)
  const at = (q: number) => (list[Math.floor(q * (list.length - 1))] ?? NaN).toFixed(1)
  console.log(`| ${name} | ${at(0.5)} | ${at(0.9)} |`)
}
const started = performance.now()
const runs = 20_000
for (let i = 0; i < runs; i++) {
  const sample = SAMPLES[i % SAMPLES.length] as (typeof SAMPLES)[number]
  exceptionSignature(`${sample.message} ${i}`, sample.stack)
}
console.log(
  `\nJavaScript fingerprint: ${(((performance.now() - started) / runs) * 1000).toFixed(1)} µs per exception`,
)
await engine.close()
await rm(dir, { recursive: true, force: true })
