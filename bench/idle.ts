/**
 * What an idle service costs: the CPU its process spends (JavaScript and the embedded engine's
 * threads) while nobody sends or asks anything, over a store holding synthetic events. The
 * rollups' feed looks for new blocks every ROLLUP_PASS_MS, alerts and exports poll their tables:
 * that work is paid every second of every deployment, and it competes with the reads of the
 * first dashboard opened. Each service in a process of its own (bench/service-process.ts), all
 * measured over the same windows; with `--against DIR`, also the service of the checkout at DIR
 * (another commit's worktree, `npm install` there), so the two compare in one run.
 *
 *   npm run bench:idle [-- --rows 1000000 --seconds 20 --rounds 3 --against /tmp/previous]
 *
 * Writes its section of bench/RESULTS.md.
 */
import { execFileSync } from 'node:child_process'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { basic } from '../tests/support/fixtures.js'
import {
  commitLine,
  machineLine,
  median,
  startServiceProcess,
  writeResultsSection,
  type ServiceProcess,
} from './support.js'

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    seconds: { type: 'string', default: '20' },
    rounds: { type: 'string', default: '3' },
    against: { type: 'string' },
  },
})
const ROWS = Number(values.rows)
const SECONDS = Number(values.seconds)
const ROUNDS = Number(values.rounds)
const ROOT = path.resolve(import.meta.dirname, '..')
const DAY = 86_400_000

/** The commit checked out at `dir`, for the table. */
function shortCommit(dir: string): string {
  return execFileSync('git', ['-C', dir, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim()
}

const specs = [
  { name: 'this build', root: ROOT },
  ...(values.against ? [{ name: `${shortCommit(values.against)} (--against)`, root: values.against }] : []),
]

const services: ServiceProcess[] = []
for (const spec of specs) services.push(await startServiceProcess(spec.name, spec.root, {}))
const now = Date.now()
const loads: number[] = []
for (const service of services) loads.push(await service.load(ROWS, now - 7 * DAY, now))
// Let merges of the load settle, so that the windows measure the steady state.
await new Promise((resolve) => setTimeout(resolve, 10_000))

/**
 * Statements the service has run so far, by name: its own /metrics (the store's statement
 * histogram), scraped as an admin signed in as itself.
 */
async function statementsRun(service: ServiceProcess): Promise<Map<string, number>> {
  const response = await fetch(`http://127.0.0.1:${service.port}/metrics`, {
    headers: { authorization: basic('admin') },
  })
  const text = await response.text()
  const counts = new Map<string, number>()
  for (const m of text.matchAll(/^analytics_store_statement_seconds_count\{([^}]*)\} (\d+)/gm)) {
    const name = /statement="([^"]*)"/.exec(m[1] ?? '')?.[1] ?? '?'
    counts.set(name, (counts.get(name) ?? 0) + Number(m[2]))
  }
  return counts
}

/** CPU ms per second of each service, per round; and the statements a second it ran, by name. */
const perRound: number[][] = services.map(() => [])
const statementsPerRound: Map<string, number>[][] = services.map(() => [])
for (let round = 0; round < ROUNDS; round++) {
  const counted = await Promise.all(services.map(statementsRun))
  const before = await Promise.all(services.map((s) => s.usage()))
  const started = performance.now()
  await new Promise((resolve) => setTimeout(resolve, SECONDS * 1000))
  const after = await Promise.all(services.map((s) => s.usage()))
  const seconds = (performance.now() - started) / 1000
  const countedAfter = await Promise.all(services.map(statementsRun))
  services.forEach((service, i) => {
    const ms = ((after[i]?.cpuMicros ?? 0) - (before[i]?.cpuMicros ?? 0)) / 1000 / seconds
    perRound[i]?.push(ms)
    const rates = new Map<string, number>()
    for (const [name, n] of countedAfter[i] ?? []) {
      const rate = (n - (counted[i]?.get(name) ?? 0)) / seconds
      if (rate > 0) rates.set(name, rate)
    }
    statementsPerRound[i]?.push(rates)
    console.log(
      `round ${round + 1}, ${service.name}: ${ms.toFixed(1)} ms of CPU a second, ${shownRates(rates)}`,
    )
  })
}
for (const service of services) await service.stop()

/** Statements a second, all and by name (the busiest first). */
function shownRates(rates: ReadonlyMap<string, number>): string {
  const all = [...rates.values()].reduce((a, b) => a + b, 0)
  const named = [...rates]
    .sort((a, b) => b[1] - a[1])
    .map(([name, rate]) => `${name} ${rate.toFixed(2)}`)
    .join(', ')
  return `${all.toFixed(2)} statements a second (${named})`
}

const rows = services.map((service, i) => {
  const ms = perRound[i] ?? []
  const last = statementsPerRound[i]?.at(-1) ?? new Map<string, number>()
  return `| ${service.name} | ${(loads[i] ?? 0).toFixed(0)} | ${median(ms).toFixed(1)} | ${ms.map((m) => m.toFixed(1)).join(', ')} | ${shownRates(last)} |`
})
const ratio =
  services.length > 1
    ? `\nThis build ÷ the other, per round: ${(perRound[0] ?? []).map((m, r) => (m / (perRound[1]?.[r] ?? Number.NaN)).toFixed(2)).join(', ')}.\n`
    : ''
const section = `## An idle service (\`npm run bench:idle -- --rows ${ROWS} --seconds ${SECONDS} --rounds ${ROUNDS}${values.against ? ' --against …' : ''}\`)

- Machine: ${machineLine()}.
- Date: ${new Date().toISOString().slice(0, 10)}; commit ${commitLine()}; \`NODE_ENV=production\`.
- Setup: each service in a process of its own (bench/service-process.ts: its checkout's tests/support/app.ts, a fresh data directory, production defaults), ${ROWS.toLocaleString('en-US')} synthetic events over the last 7 days loaded (and counted into its rollups), 10 s to settle; then nothing is sent or asked, and each service's process CPU (its JavaScript and the embedded engine's threads) is read over the same ${SECONDS} s windows, ${ROUNDS} rounds, with the statements it ran (its /metrics).

| service | load s | CPU ms a second (median) | rounds | statements (the last round) |
| --- | --- | --- | --- | --- |
${rows.join('\n')}
${ratio}`
console.log(`\n${section}`)
await writeResultsSection('idle', section)
