/**
 * The web Productivity page's queries at demo size: a copy of a data directory that `npm run demo`
 * filled (the service stopped), opened by buildApp (production defaults, the response cache off),
 * and the page's four operations (leaderboard, objects per hour per day, idle gaps, job flow) sent
 * together as the browser sends them, as admin over the last 7 days; `--runs` visits after one
 * warm-up. Per visit: the slowest request (what the page waits for) and the process's CPU time
 * (the engine runs in it), then each operation alone.
 *
 *   npm run bench:productivity-page -- --data-dir DIR [--runs 7] [--to 2026-12-06T17:20:00Z]
 */
import { cp, rm } from 'node:fs/promises'
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { startTestApp, tempDir } from '../tests/support/app.js'
import { as } from '../tests/support/fixtures.js'
import { median } from './support.js'

const { values } = parseArgs({
  options: {
    'data-dir': { type: 'string' },
    runs: { type: 'string', default: '7' },
    to: { type: 'string' },
  },
})
if (!values['data-dir']) throw new Error('--data-dir: a data directory filled by `npm run demo`')
const runs = Number(values.runs)
const TO = values.to ? Date.parse(values.to) : Date.now()
const DAY = 86_400_000

const operation = (name: string) =>
  readFileSync(new URL(`../schema/operations/${name}.graphql`, import.meta.url), 'utf8')
/** The page's requests (web/src/pages/productivity.tsx), at the default idle cutoff. */
const PAGE = [
  {
    name: 'leaderboard',
    query: operation('Productivity'),
    vars: { groupBy: ['USER'], idleSeconds: 100, first: 200 },
  },
  {
    name: 'per day',
    query: operation('Productivity'),
    vars: { groupBy: ['USER', 'DAY'], idleSeconds: 100, first: 1000 },
  },
  { name: 'job flow', query: operation('JobFlow'), vars: { first: 200 } },
  { name: 'idle gaps', query: operation('IdleGaps'), vars: { groupBy: [], first: 1 } },
] as const

const dir = await tempDir('aa-prodpage-')
await cp(values['data-dir'], dir, { recursive: true })
await rm(`${dir}/annotation-analytics.lock`, { force: true })
const t = await startTestApp({ RESPONSE_CACHE_TTL_MS: '0', NODE_ENV: 'production' }, { dir })
await t.app.services.store.rollups.whenReady()
await t.app.services.store.rollups.flush()

async function send(op: (typeof PAGE)[number], visit: number): Promise<number> {
  const to = TO - visit // another range each time: nothing reused
  const filter = { from: new Date(to - 7 * DAY).toISOString(), to: new Date(to).toISOString() }
  const started = performance.now()
  const response = await t.request('POST', '/graphql', {
    headers: as('admin'),
    body: { query: op.query, variables: { ...op.vars, filter } },
  })
  const body = (await response.json()) as { errors?: unknown }
  if (body.errors) throw new Error(`${op.name}: ${JSON.stringify(body.errors)}`)
  return performance.now() - started
}

const pageMs: number[] = []
const pageCpu: number[] = []
const alone = new Map<string, number[]>()
for (let visit = 0; visit <= runs; visit++) {
  const cpu = process.cpuUsage()
  const times = await Promise.all(PAGE.map((op) => send(op, visit)))
  const used = process.cpuUsage(cpu)
  if (visit === 0) continue
  pageMs.push(Math.max(...times))
  pageCpu.push((used.user + used.system) / 1000)
}
for (let visit = 1; visit <= runs; visit++) {
  for (const op of PAGE) alone.set(op.name, [...(alone.get(op.name) ?? []), await send(op, 1000 + visit)])
}
console.log(`| request | median ms |\n| --- | --- |`)
console.log(`| the page's four together (slowest) | ${median(pageMs).toFixed(0)} |`)
console.log(`| CPU of the process per visit | ${median(pageCpu).toFixed(0)} |`)
for (const [name, ms] of alone) console.log(`| ${name} alone | ${median(ms).toFixed(0)} |`)
await t.stop()
await rm(dir, { recursive: true, force: true })
