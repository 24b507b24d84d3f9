import { execFileSync, fork } from 'node:child_process'
import { existsSync } from 'node:fs'
import { readFile, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { DERIVED_TABLES } from '../src/store/rollups/catalog.js'
import type { TestApp } from '../tests/support/app.js'

/** Samples this process's resident memory; reports the peak since the last reset. */
export class MemorySampler {
  private peak = 0
  private readonly timer: NodeJS.Timeout

  constructor(intervalMs = 25) {
    this.timer = setInterval(() => this.sample(), intervalMs)
    this.timer.unref()
  }

  sample(): void {
    this.peak = Math.max(this.peak, process.memoryUsage.rss())
  }

  reset(): void {
    this.peak = process.memoryUsage.rss()
  }

  peakMiB(): number {
    this.sample()
    return Math.round(this.peak / 2 ** 20)
  }

  stop(): void {
    clearInterval(this.timer)
  }
}

export function formatRate(perSecond: number): string {
  return Math.round(perSecond).toLocaleString('en-US')
}

/** One line on the machine a bench ran on (CPU, memory, load, Node), for RESULTS.md. */
export function machineLine(): string {
  const cpus = os.cpus()
  const load = os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(', ')
  return `${cpus.length} × ${cpus[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}; load average ${load} (1, 5, 15 min) when it ended`
}

/** The commit the bench ran on (with "+ changes" when the work tree differs). */
export function commitLine(): string {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim()
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
      encoding: 'utf8',
    }).trim()
    return dirty === '' ? commit : `${commit} + uncommitted changes`
  } catch {
    return 'unknown'
  }
}

const RESULTS = path.join(import.meta.dirname, 'RESULTS.md')

/**
 * Replaces the section of RESULTS.md between `<!-- bench:<id> -->` and `<!-- /bench:<id> -->`
 * with `markdown` (appended at the end the first time), so each bench rewrites its own figures.
 */
export async function writeResultsSection(id: string, markdown: string): Promise<void> {
  const start = `<!-- bench:${id} -->`
  const end = `<!-- /bench:${id} -->`
  const text = await readFile(RESULTS, 'utf8').catch(() => '# Benchmark results\n')
  const block = `${start}\n${markdown.trim()}\n${end}`
  const from = text.indexOf(start)
  const to = text.indexOf(end)
  const next =
    from >= 0 && to > from
      ? text.slice(0, from) + block + text.slice(to + end.length)
      : `${text.trimEnd()}\n\n${block}\n`
  await writeFile(RESULTS, next)
}

/** The median of some measurements. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN
}

/** The p-th quantile (0 to 1) of measurements sorted ascending. */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN
}

/** A child process running bench/service-process.ts: one service of a checkout, on a real port. */
export interface ServiceProcess {
  readonly name: string
  readonly port: number
  /**
   * CPU time (µs, user + system) the service's process has used so far (the engine's threads
   * included), that of its main thread (the event loop's JavaScript alone), and its RSS.
   */
  usage(): Promise<{ cpuMicros: number; mainThreadMicros: number; rss: number }>
  /**
   * Inserts `rows` synthetic events spread over [fromMs, toMs) with the checkout's own generator
   * (counted into its rollups where it has them); resolves with the seconds it took.
   */
  load(rows: number, fromMs: number, toMs: number): Promise<number>
  /** Starts the CPU profiler of the service's process. */
  startProfile(): Promise<void>
  /** Stops it and writes its profile (Chrome DevTools' .cpuprofile) to `file`. */
  stopProfile(file: string): Promise<void>
  stop(): Promise<void>
}

/** Starts the service of the checkout at `root` with `env` in a child process of its own. */
export async function startServiceProcess(
  name: string,
  root: string,
  env: Record<string, string>,
  nodeEnv: Record<string, string> = {},
): Promise<ServiceProcess> {
  const { fork } = await import('node:child_process')
  const child = fork(path.join(import.meta.dirname, 'service-process.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, ...nodeEnv },
  })
  const ask = <T>(command: object) =>
    new Promise<T>((resolve, reject) => {
      child.once('message', (answer: { error?: string }) =>
        answer.error ? reject(new Error(answer.error)) : resolve(answer as T),
      )
      child.send(command)
    })
  const { port } = await ask<{ port: number }>({ cmd: 'start', root, env })
  return {
    name,
    port,
    usage: () => ask({ cmd: 'usage' }),
    load: async (rows, fromMs, toMs) =>
      (await ask<{ seconds: number }>({ cmd: 'load', root, load: { rows, fromMs, toMs } })).seconds,
    startProfile: () => ask({ cmd: 'profile-start' }),
    stopProfile: (file) => ask({ cmd: 'profile-stop', file }),
    async stop() {
      await ask({ cmd: 'stop' }).catch(() => undefined)
      child.kill()
    },
  }
}

/**
 * Fills a service's store with `rows` synthetic events over [fromMs, toMs) (src/store/synthetic-events.ts:
 * 4 organizations, 100 users, 2000 jobs), counts them into the rollups and merges every table to
 * final parts, so that no background work competes with what is measured. Returns a line saying
 * how long that took and how many rows each table holds.
 */
export async function loadSyntheticEvents(
  service: TestApp,
  { rows, fromMs, toMs }: { rows: number; fromMs: number; toMs: number },
): Promise<string> {
  let t0 = performance.now()
  for (let offset = 0; offset < rows; offset += 2_000_000) {
    await service.app.services.store.bulk.insertSynthetic({
      rows: Math.min(2_000_000, rows - offset),
      fromMs,
      toMs,
      offset,
    })
  }
  // The passes count what was inserted (the service's own, every ROLLUP_PASS_MS; now, here).
  await service.app.services.store.rollups.flush()
  const insertS = (performance.now() - t0) / 1000
  t0 = performance.now()
  for (const table of ['events', ...DERIVED_TABLES.map((d) => d.name)]) {
    await service.sql.command({
      name: 'bench.optimize',
      sql: `OPTIMIZE TABLE default.${table} FINAL`,
      timeoutMs: 7_200_000,
    })
  }
  const optimizeS = (performance.now() - t0) / 1000
  await service.app.services.store.rollups.whenReady()
  const sizes = await service.sql.rows<{ table: string; rows: string; bytes: string }>({
    name: 'bench.sizes',
    sql: `SELECT table, sum(rows) AS rows, sum(bytes_on_disk) AS bytes FROM system.parts WHERE active AND database = 'default' AND table IN (${['events', ...DERIVED_TABLES.map((d) => d.name)].map((t) => `'${t}'`).join(', ')}) GROUP BY table ORDER BY table`,
  })
  return `${rows.toLocaleString('en-US')} events inserted and counted into the rollups in ${insertS.toFixed(0)} s, merged in ${optimizeS.toFixed(0)} s; rows (disk): ${sizes.map((s) => `${s.table} ${Number(s.rows).toLocaleString('en-US')} (${(Number(s.bytes) / 2 ** 20).toFixed(0)} MiB)`).join(', ')}`
}

/** A service a benchmark compares: a checkout (`root`) started with `env`. */
export interface ServiceSpec {
  readonly key: string
  readonly name: string
  readonly root: string
  readonly env: Record<string, string>
}

/**
 * The release before the rollups as a service to compare with, when its worktree is there
 * (`git worktree add /tmp/rel-4013c9d 4013c9d`, then `npm install` in it); none otherwise. Any
 * other checkout may stand in for it (the previous main): `env` is the benchmark's own settings
 * (its limits off), which a release without those settings ignores.
 */
export function releaseSpecs(dir: string, env: Record<string, string> = {}): ServiceSpec[] {
  return existsSync(path.join(dir, 'tests/support/app.ts'))
    ? [{ key: 'release', name: `release ${path.basename(dir)} (before the rollups)`, root: dir, env }]
    : []
}

/** Runs a client script (`script`, a module answering one job message) in a child process of its own. */
export function runChildClient<J extends object, R>(script: URL, job: J): Promise<R> {
  return new Promise((resolve, reject) => {
    const child = fork(script.pathname, [], { execArgv: ['--import', 'tsx'] })
    child.once('message', (message) => {
      resolve(message as R)
      child.kill()
    })
    child.once('error', reject)
    child.send(job)
  })
}
