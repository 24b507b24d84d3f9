/**
 * Ingest of this checkout against another (main, before a change), in one run: each checkout's
 * service (`src/main.ts` through tsx, embedded store in a fresh directory, no rate limit) started
 * in turn, the same clients (bench/ingest-client.ts, in a child process) posting CVAT client
 * batches with heartbeats, scenario by scenario, alternating A, B, B, A so that the machine's
 * drift hits both alike. Prints events/s and the service's CPU per event (user + system, from
 * /proc: what the version costs, less sensitive than throughput to other work on a shared
 * machine) per scenario and version, and B ÷ A.
 *
 *   npx tsx bench/ingest-ab.ts --a /tmp/aa-main --events 100000 --rounds 2
 *
 * `--a` is a checkout of the other version with its dependencies (e.g. `git archive main | tar -x
 * -C /tmp/aa-main` and a symlink to this node_modules); B is this checkout.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { fileURLToPath } from 'node:url'
import { formatRate, machineLine, median } from './support.js'

const { values } = parseArgs({
  options: {
    a: { type: 'string' },
    events: { type: 'string', default: '100000' },
    rounds: { type: 'string', default: '2' },
  },
})
if (!values.a) throw new Error('--a <checkout of the other version> is required')
const HERE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const VERSIONS = [
  { name: 'A', dir: path.resolve(values.a) },
  { name: 'B', dir: HERE },
]
const EVENTS = Number(values.events)
const ROUNDS = Number(values.rounds)
const PASSWORD = 'bench-ingest-ab-password'
const SCENARIOS = [
  { batchSize: 100, concurrency: 1 },
  { batchSize: 100, concurrency: 8 },
  { batchSize: 1000, concurrency: 8 },
]

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

async function startService(dir: string): Promise<{ child: ChildProcess; port: number; data: string }> {
  const data = await mkdtemp(path.join(tmpdir(), 'aa-bench-ab-'))
  const port = await freePort()
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(dir, 'src/main.ts')], {
    cwd: dir,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      DATA_DIR: data,
      PORT: String(port),
      HOST: '127.0.0.1',
      ANALYTICS_ADMIN_PASSWORD: PASSWORD,
      RATE_LIMIT_INGEST: '0',
      LOG_LEVEL: 'error',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  for (let i = 0; i < 600; i++) {
    const ready = await fetch(`http://127.0.0.1:${port}/ready`).then(
      (r) => r.status === 200,
      () => false,
    )
    if (ready) return { child, port, data }
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
  throw new Error(`the service of ${dir} did not get ready`)
}

function runClients(port: number, batchSize: number, concurrency: number, total: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = fork(path.join(HERE, 'bench/ingest-client.ts'), [], { execArgv: ['--import', 'tsx'] })
    child.once('message', (message) => {
      const result = message as { events: number; seconds: number; failures: number }
      child.kill()
      if (result.failures > 0) reject(new Error(`${result.failures} batches failed`))
      else resolve(result.events / result.seconds)
    })
    child.once('error', reject)
    child.send({
      url: `http://127.0.0.1:${port}/api/events`,
      authorization: `Basic ${Buffer.from(`admin:${PASSWORD}`).toString('base64')}`,
      org: '',
      batchSize,
      concurrency,
      total,
      minimal: false,
      // CVAT's UI sends a heartbeat every few seconds of activity: one event in ten here.
      heartbeatEvery: 10,
    })
  })
}

/** CPU seconds (user + system) the process has used so far, from /proc/<pid>/stat. */
async function cpuSeconds(pid: number): Promise<number> {
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]?.split(' ') ?? []
  return (Number(fields[11]) + Number(fields[12])) / 100
}

const rates = new Map<string, number[]>()
const cpu = new Map<string, number[]>()
for (let round = 0; round < ROUNDS; round++) {
  for (const version of round % 2 === 0 ? VERSIONS : [...VERSIONS].reverse()) {
    const service = await startService(version.dir)
    try {
      await runClients(service.port, 100, 2, 10_000) // warm-up
      for (const s of SCENARIOS) {
        const before = await cpuSeconds(service.child.pid ?? 0)
        const rate = await runClients(service.port, s.batchSize, s.concurrency, EVENTS)
        const usPerEvent = (((await cpuSeconds(service.child.pid ?? 0)) - before) * 1e6) / EVENTS
        const key = `${version.name}|${s.batchSize}|${s.concurrency}`
        rates.set(key, [...(rates.get(key) ?? []), rate])
        cpu.set(key, [...(cpu.get(key) ?? []), usPerEvent])
        console.log(
          `round ${round + 1} ${version.name}: batch ${s.batchSize} × ${s.concurrency} clients: ${formatRate(rate)} events/s, ${usPerEvent.toFixed(0)} µs CPU/event`,
        )
      }
    } finally {
      service.child.kill('SIGTERM')
      await new Promise((resolve) => service.child.once('exit', resolve))
      await rm(service.data, { recursive: true, force: true })
    }
  }
}

console.log(`\nmachine: ${machineLine()}\n`)
console.log(
  '| batch | clients | A events/s | B events/s | B ÷ A | A µs CPU/event | B µs CPU/event | B ÷ A |\n|---|---|---|---|---|---|---|---|',
)
for (const s of SCENARIOS) {
  const key = (v: string) => `${v}|${s.batchSize}|${s.concurrency}`
  const [a = NaN, b = NaN] = ['A', 'B'].map((v) => median(rates.get(key(v)) ?? []))
  const [ca = NaN, cb = NaN] = ['A', 'B'].map((v) => median(cpu.get(key(v)) ?? []))
  console.log(
    `| ${s.batchSize} | ${s.concurrency} | ${formatRate(a)} | ${formatRate(b)} | ${((b / a) * 100).toFixed(0)} % | ${ca.toFixed(0)} | ${cb.toFixed(0)} | ${((cb / ca) * 100).toFixed(0)} % |`,
  )
}
