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
