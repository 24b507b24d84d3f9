/**
 * Export throughput: CVAT's CSV flow through the REST API (real HTTP, the client in a child
 * process) next to the engine writing the same CSV by itself in the same run, with the server's
 * peak memory. For each size: N generated events (`INSERT … SELECT … FROM numbers(N)`), then
 * 1. export job: `GET /api/events` → 202 … 201 (the engine's CSV, window by window, to disk),
 * 2. REST download of that file (`action=download`) with curl, then again with Node's fetch,
 * 3. the engine alone: the same rows in one `SELECT … ORDER BY timestamp, event_id` streamed to a file.
 *
 * Each size runs ROUNDS times, the two paths alternating; rates are medians, memory the maximum.
 *
 *   npm run bench:export [-- --rows 1000000,10000000 --rounds 3]
 */
import { fork } from 'node:child_process'
import { createHash } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { rm, stat } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import { parseArgs } from 'node:util'
import type { Engine } from '../src/store/engine.js'
import type { Config } from '../src/config.js'
import { CSV_HEADER, EXPORT_COLUMNS } from '../src/store/export-read.js'
import { startTestApp } from '../tests/support/app.js'
import { generateEvents } from '../tests/support/export-helpers.js'
import { MemorySampler } from './support.js'

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000,10000000' },
    rounds: { type: 'string', default: '3' },
  },
})
const SIZES = values.rows.split(',').map(Number)
const ROUNDS = Number(values.rounds)
const MiB = 2 ** 20

interface ClientResult {
  id: string
  readyMs: number
  /** Download with curl (the first one). */
  curlMs: number
  /** Download again with Node's fetch. */
  fetchMs: number
  bytes: number
  error?: string
}

function runClient(url: string): Promise<ClientResult> {
  return new Promise((resolve, reject) => {
    const child = fork(new URL('./export-client.ts', import.meta.url).pathname, [], {
      execArgv: ['--import', 'tsx'],
    })
    child.once('message', (message) => {
      const result = message as ClientResult
      child.kill()
      if (result.error) reject(new Error(result.error))
      else resolve(result)
    })
    child.once('error', reject)
    child.send({ url, username: 'admin', password: 'admin-password', query: 'org_id=7' })
  })
}

async function sha256(file: string): Promise<string> {
  const hash = createHash('sha256')
  await pipeline(createReadStream(file), hash)
  return hash.digest('hex')
}

/** The engine by itself: one query, its CSV streamed to a file, no windows, no HTTP. */
async function engineAlone(engine: Engine, config: Config, file: string): Promise<number> {
  const started = performance.now()
  async function* chunks() {
    yield Buffer.from(CSV_HEADER)
    yield* engine.stream(
      {
        name: 'bench.engine_csv',
        sql: `SELECT ${EXPORT_COLUMNS.join(', ')} FROM ${config.store.database}.events
              WHERE org_id = 7 AND scope != 'send:exception' ORDER BY timestamp, event_id`,
        timeoutMs: 3_600_000,
      },
      {
        format: 'CSV',
        settings: { format_csv_null_representation: '', output_format_csv_crlf_end_of_line: 1 },
      },
    )
  }
  await pipeline(chunks(), createWriteStream(file, { highWaterMark: 1 << 20, flush: true }))
  return performance.now() - started
}

const purge = (engine: Engine) =>
  engine.command({ name: 'bench.purge', sql: 'SYSTEM JEMALLOC PURGE' }).catch(() => {})

console.log(
  `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`,
)
const table: string[] = []
const memory = new MemorySampler(20)

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number

for (const rows of SIZES) {
  const service = await startTestApp()
  const { app, config, dir } = service
  const { port } = await app.start()
  const url = `http://127.0.0.1:${port}`

  const generated = performance.now()
  await generateEvents(service, rows, 'bench')
  // Settle the engine's background merges first: they would compete for the two cores.
  await service.sql.command({
    name: 'bench.optimize',
    sql: `OPTIMIZE TABLE ${config.store.database}.events FINAL`,
    timeoutMs: 3_600_000,
  })
  console.log(
    `\n${rows} rows generated and merged in ${((performance.now() - generated) / 1000).toFixed(1)} s`,
  )

  const runs: {
    client: ClientResult
    restPeak: number
    restGrowth: number
    engineMs: number
    enginePeak: number
    engineGrowth: number
    engineBytes: number
  }[] = []
  for (let round = 1; round <= ROUNDS; round += 1) {
    // 1 + 2: the REST flow (export job, then downloads), the client in a child process.
    await purge(service.sql)
    memory.reset()
    const restBaseline = process.memoryUsage.rss()
    const client = await runClient(url)
    const restPeak = memory.peakMiB()
    const exportFile = path.join(config.exportDir, `${client.id}.csv`)

    // 3: the engine alone, same rows, same CSV.
    await purge(service.sql)
    memory.reset()
    const engineBaseline = process.memoryUsage.rss()
    const engineFile = path.join(dir, 'engine.csv')
    const engineMs = await engineAlone(service.sql, config, engineFile)
    const enginePeak = memory.peakMiB()
    const engineBytes = (await stat(engineFile)).size
    if (round === 1) {
      const same = rows <= 1_000_000 ? (await sha256(exportFile)) === (await sha256(engineFile)) : undefined
      const sizes = engineBytes === client.bytes ? 'same size as' : 'DIFFERENT size from'
      console.log(
        `  export file: ${sizes} the engine's${same === undefined ? '' : same ? ', identical bytes' : ', DIFFERENT bytes'}`,
      )
    }
    await rm(exportFile, { force: true })
    await rm(engineFile, { force: true })
    const run = {
      client,
      restPeak,
      restGrowth: restPeak - Math.round(restBaseline / MiB),
      engineMs,
      enginePeak,
      engineGrowth: enginePeak - Math.round(engineBaseline / MiB),
      engineBytes,
    }
    runs.push(run)
    const mb = client.bytes / MiB
    console.log(
      `  round ${round}: export job ${(client.readyMs / 1000).toFixed(2)} s, engine alone ${(engineMs / 1000).toFixed(2)} s ` +
        `(${Math.round((engineMs / client.readyMs) * 100)} %); download curl ${(mb / (client.curlMs / 1000)).toFixed(0)} MiB/s, ` +
        `fetch ${(mb / (client.fetchMs / 1000)).toFixed(0)} MiB/s; peak RSS REST flow ${restPeak} MiB (+${run.restGrowth}), engine alone ${enginePeak} MiB (+${run.engineGrowth})`,
    )
  }

  const mb = (runs[0]?.client.bytes ?? 0) / MiB
  const rate = (ms: number) => mb / (ms / 1000)
  const engineRate = rate(median(runs.map((r) => r.engineMs)))
  const exportRate = rate(median(runs.map((r) => r.client.readyMs)))
  const curlRate = rate(median(runs.map((r) => r.client.curlMs)))
  const fetchRate = rate(median(runs.map((r) => r.client.fetchMs)))
  const endToEndRate = rate(median(runs.map((r) => r.client.readyMs + r.client.curlMs)))
  const restPeak = Math.max(...runs.map((r) => r.restPeak))
  const restGrowth = Math.max(...runs.map((r) => r.restGrowth))
  const enginePeak = Math.max(...runs.map((r) => r.enginePeak))
  const engineGrowth = Math.max(...runs.map((r) => r.engineGrowth))
  const pct = (x: number) => `${Math.round((x / engineRate) * 100)} %`
  console.log(
    `  medians of ${ROUNDS}: CSV ${mb.toFixed(0)} MiB; engine alone ${engineRate.toFixed(0)} MiB/s; export job ${exportRate.toFixed(0)} MiB/s (${pct(exportRate)}); ` +
      `download curl ${curlRate.toFixed(0)} MiB/s, fetch ${fetchRate.toFixed(0)} MiB/s; end to end ${endToEndRate.toFixed(0)} MiB/s (${pct(endToEndRate)})`,
  )
  table.push(
    `| ${rows.toLocaleString('en-US')} | ${mb.toFixed(0)} | ${engineRate.toFixed(0)} | ${enginePeak} (+${engineGrowth}) | ${exportRate.toFixed(0)} (${pct(exportRate)}) | ${curlRate.toFixed(0)} / ${fetchRate.toFixed(0)} | ${endToEndRate.toFixed(0)} (${pct(endToEndRate)}) | ${restPeak} (+${restGrowth}) |`,
  )

  await service.stop()
}

console.log(
  '\n| rows | CSV MiB | engine alone MiB/s | engine alone peak RSS MiB (growth) | export job MiB/s | REST download MiB/s (curl / fetch) | end to end MiB/s | REST flow peak RSS MiB (growth) |\n|---|---|---|---|---|---|---|---|',
)
for (const row of table) console.log(row)
memory.stop()
