import { execFileSync } from 'node:child_process'
import { readFile, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

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
