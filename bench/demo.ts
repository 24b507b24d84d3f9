/**
 * How fast the demo simulator fills a store without HTTP (`generateIntoStore`), simulated rows
 * only and with engine copies, for benchmark setups.
 *
 *   npm run bench:demo [-- --events 2000000]
 */
import { rm } from 'node:fs/promises'
import os from 'node:os'
import { parseArgs } from 'node:util'
import { loadConfig } from '../src/config.js'
import { generateIntoStore } from '../src/demo/index.js'
import { createStore } from '../src/store/index.js'
import { tempDir } from '../tests/support/app.js'
import { formatRate, MemorySampler } from './support.js'

const { values } = parseArgs({ options: { events: { type: 'string', default: '2000000' } } })
const EVENTS = Number(values.events)
const END = Date.UTC(2026, 10, 27, 18)

console.log(
  `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`,
)
console.log('| path | events | seconds | events/s | peak RSS MiB |\n|---|---|---|---|---|')
for (const copies of [0, 9]) {
  const dir = await tempDir('aa-bench-demo-')
  const store = createStore(loadConfig({ DATA_DIR: dir }).store)
  await store.migrate()
  const memory = new MemorySampler()
  const { summary } = await generateIntoStore(store, { events: EVENTS, endMs: END, copies })
  const name =
    copies === 0 ? 'simulated, direct to the store' : `simulated 1/${copies + 1}, engine copies the rest`
  console.log(
    `| ${name} | ${summary.events} | ${(summary.elapsedMs / 1000).toFixed(1)} | ${formatRate(summary.eventsPerSecond)} | ${memory.peakMiB()} |`,
  )
  memory.stop()
  await store.close()
  await rm(dir, { recursive: true, force: true })
}
