/**
 * Live subscriptions: latency from the ingest answer to the event at the subscriber (p50, p99)
 * with 1, 100 and 1000 subscribers over WebSocket and SSE; the service's memory per subscriber;
 * the ingest rate with 1000 subscribers attached beside the rate without; heap and handles after
 * many connect/disconnect cycles. The service runs here (buildApp on chDB, a real port);
 * subscribers, probes and ingest load run in child processes (bench/live-clients.ts).
 *
 *   npm run bench:live [-- --subscribers 1,100,1000 --probes 100 --cycles 10000 --seconds 15
 *     --ingest-transports websocket,sse --profile DIR]
 *
 * `--seconds 0` leaves out the ingest part, `--cycles 0` the connect/disconnect cycles.
 */
import { fork, type ChildProcess } from 'node:child_process'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { startTestApp } from '../tests/support/app.js'
import { addBenchTeam } from './live-team.js'
import { mainThreadUs, startProfile } from './process-probes.js'
import { formatRate } from './support.js'

const { values } = parseArgs({
  options: {
    subscribers: { type: 'string', default: '1,100,1000' },
    probes: { type: 'string', default: '100' },
    cycles: { type: 'string', default: '10000' },
    seconds: { type: 'string', default: '15' },
    /** The transports of the subscribers attached during the ingest part (the load without them is run once per round). */
    'ingest-transports': { type: 'string', default: 'websocket,sse' },
    /** A directory: the service's CPU profile of each latency scenario's probes goes there. */
    profile: { type: 'string' },
  },
})
const COUNTS = values.subscribers.split(',').map(Number)
const PROBES = Number(values.probes)
const CYCLES = Number(values.cycles)
const SECONDS = Number(values.seconds)
const INGEST_TRANSPORTS = values['ingest-transports'].split(',') as ('websocket' | 'sse')[]
const gc = (globalThis as { gc?: () => void }).gc
if (!gc) throw new Error('run with node --expose-gc (npm run bench:live does)')

const service = await startTestApp({ LIVE_BUFFER_EVENTS: '100000' })
const { app } = service
// Subscribers and senders are many people, with the service's default rate limits (live-team.ts).
const team = await addBenchTeam(service.config.accountsFile, 'acme', {
  viewers: Math.max(...COUNTS),
  senders: 32,
})
await app.services.directory.refresh(true)
const { port } = await app.start()
const url = `http://127.0.0.1:${port}`
const subscribed = async (n: number) => {
  const deadline = Date.now() + 60_000
  while (app.services.live.size !== n) {
    if (Date.now() > deadline) throw new Error(`expected ${n} subscriptions, have ${app.services.live.size}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/** A clients process; `ask` sends one command and resolves with its answer. */
async function clients(): Promise<{ ask: <T>(command: object) => Promise<T>; child: ChildProcess }> {
  const child = fork(new URL('./live-clients.ts', import.meta.url).pathname, [], {
    execArgv: ['--import', 'tsx'],
  })
  const ask = <T>(command: object) =>
    new Promise<T>((resolve, reject) => {
      child.once('message', (answer: { error?: string }) =>
        answer.error ? reject(new Error(answer.error)) : resolve(answer as T),
      )
      child.send(command)
    })
  await ask({ url, subscribers: team.viewers, senders: team.senders, org: 'acme' })
  return { ask, child }
}

const heap = () => {
  gc?.()
  gc?.()
  const { heapUsed, rss } = process.memoryUsage()
  return { heapUsed, rss, handles: process.getActiveResourcesInfo().length }
}
const ms = (n: number) => n.toFixed(1)
const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1)

console.log(
  `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}, load ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
)
const subscribers = await clients()
const load = await clients()
// Warm-up: JIT, connections, first parts.
await subscribers.ask({ cmd: 'open', transport: 'websocket', n: 10 })
await subscribed(10)
await subscribers.ask({ cmd: 'probe', count: 20, gapMs: 5 })
await subscribers.ask({ cmd: 'close' })
await subscribed(0)

// 1. Latency and memory per subscriber.
const latencyRows: string[] = []
for (const transport of ['websocket', 'sse'] as const) {
  for (const n of COUNTS) {
    const before = heap()
    await subscribers.ask({ cmd: 'open', transport, n })
    await subscribed(n)
    const after = heap()
    type Quantiles = { p50: number; p99: number; max: number }
    const profiling = values.profile ? await startProfile() : undefined
    const cpu = mainThreadUs()
    const result = await subscribers.ask<{
      samples: number
      missing: number
      answer: Quantiles
      sent: Quantiles
      clientCpuUs: number
    }>({
      cmd: 'probe',
      count: n >= 1000 ? Math.ceil(PROBES / 2) : PROBES,
      gapMs: n >= 1000 ? 50 : 10,
    })
    const used = mainThreadUs() - cpu
    await profiling?.(path.join(values.profile ?? '', `${transport}-${n}.cpuprofile`))
    // CPU time per push: the service's event loop (with the probes' ingest requests) and the
    // subscribers' process (reading and parsing the pushes).
    const serverUs = used / Math.max(1, result.samples)
    const clientUs = result.clientCpuUs / Math.max(1, result.samples)
    const perHeap = (after.heapUsed - before.heapUsed) / n / 1024
    const perRss = (after.rss - before.rss) / n / 1024
    const { answer, sent } = result
    const row = `| ${transport} | ${n} | ${ms(answer.p50)} | ${ms(answer.p99)} | ${ms(sent.p50)} | ${ms(sent.p99)} | ${ms(sent.max)} | ${result.samples} | ${result.missing} | ${n >= 100 ? perHeap.toFixed(1) : '—'} | ${n >= 100 ? perRss.toFixed(1) : '—'} | ${serverUs.toFixed(0)} | ${clientUs.toFixed(0)} |`
    console.log(row)
    latencyRows.push(row)
    await subscribers.ask({ cmd: 'close' })
    await subscribed(0)
  }
}

// 2. Ingest rate without subscribers and with 1000 attached (an organization's pages watching its
// exceptions): with no exception in the load (what having them costs), and with one exception in
// every 1000 events (each pushed to all 1000), each beside the same load without subscribers. Two
// rounds, alternating, as the machine's load drifts.
const MAX = Math.max(...COUNTS)
const rate = async (exceptionEvery: number) => {
  const cpu = process.cpuUsage()
  const r = await load.ask<{ events: number; failures: number; seconds: number }>({
    cmd: 'ingest',
    seconds: SECONDS,
    batch: 100,
    concurrency: 8,
    exceptionEvery,
  })
  const used = process.cpuUsage(cpu)
  if (r.failures > 0) console.log(`warning: the service refused ${r.failures} ingest requests of the load`)
  return { perSecond: r.events / r.seconds, cpuUs: (used.user + used.system) / r.events }
}
const rateRows: string[] = []
if (SECONDS > 0) await rate(0) // warm-up
for (let round = 1; SECONDS > 0 && round <= 2; round++) {
  const plainWithout = await rate(0)
  const pushesWithout = await rate(1000)
  for (const transport of INGEST_TRANSPORTS) {
    await subscribers.ask({ cmd: 'open', transport, n: MAX })
    await subscribed(MAX)
    const plainWith = await rate(0)
    const pushesWith = await rate(1000)
    await subscribers.ask({ cmd: 'close' })
    await subscribed(0)
    const row = (load: string, without: typeof plainWith, withSubs: typeof plainWith) =>
      `| ${round} | ${load} | ${transport} | ${formatRate(without.perSecond)} | ${formatRate(withSubs.perSecond)} | ${((withSubs.perSecond / without.perSecond) * 100).toFixed(0)} % | ${without.cpuUs.toFixed(1)} → ${withSubs.cpuUs.toFixed(1)} |`
    rateRows.push(
      row('no exceptions', plainWithout, plainWith),
      row('1 exception in 1000 events', pushesWithout, pushesWith),
    )
  }
}
for (const row of rateRows) console.log(row)

// 3. Connect/disconnect cycles: heap and handles back to where they were.
const cycleRows: string[] = []
for (const transport of CYCLES > 0 ? (['websocket', 'sse'] as const) : []) {
  await new Promise((resolve) => setTimeout(resolve, 1_000))
  const before = heap()
  const started = performance.now()
  const { failures } = await subscribers.ask<{ failures: number }>({
    cmd: 'cycles',
    transport,
    n: CYCLES,
    concurrency: 20,
  })
  const seconds = (performance.now() - started) / 1000
  await subscribed(0)
  await new Promise((resolve) => setTimeout(resolve, 6_000)) // closing handshakes; idle keep-alive sockets time out (5 s)
  const after = heap()
  const row = `| ${transport} | ${CYCLES} | ${failures} | ${seconds.toFixed(1)} | ${mib(before.heapUsed)} → ${mib(after.heapUsed)} | ${before.handles} → ${after.handles} |`
  console.log(row)
  cycleRows.push(row)
}

console.log(
  "\n| transport | subscribers | answer→push p50 ms | answer→push p99 ms | request→push p50 ms | request→push p99 ms | request→push max ms | pushes | missing | heap KiB/subscriber | RSS KiB/subscriber | service main-thread CPU µs/push | subscribers' CPU µs/push |",
)
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|')
for (const row of latencyRows) console.log(row)
console.log(
  `\n| round | load | subscribers' transport | events/s without subscribers | with ${MAX} | ratio | server CPU µs/event without → with |\n|---|---|---|---|---|---|---|`,
)
for (const row of rateRows) console.log(row)
console.log(
  '\n| transport | cycles | failed | seconds | heap MiB before → after | handles before → after |\n|---|---|---|---|---|---|',
)
for (const row of cycleRows) console.log(row)

subscribers.child.kill()
load.child.kill()
await service.stop()
