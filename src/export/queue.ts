export interface QueueLimits {
  /** Jobs running at once. */
  readonly total: number
  /** Jobs of one owner running at once. */
  readonly perOwner: number
}

/**
 * First come, first served within two limits: jobs running in all, and per owner. A job whose
 * owner is at its limit waits without holding up other owners' jobs behind it.
 */
export class JobQueue {
  private readonly waiting: { id: string; owner: string }[] = []
  private readonly runningByOwner = new Map<string, number>()
  private running = 0
  private readonly settled = new Set<Promise<void>>()

  constructor(
    private readonly limits: QueueLimits,
    private readonly run: (id: string) => Promise<void>,
  ) {}

  push(id: string, owner: string): void {
    this.waiting.push({ id, owner })
    this.pump()
  }

  /** Takes every waiting job out of the queue (on stop) and returns their ids. */
  drain(): string[] {
    return this.waiting.splice(0).map((job) => job.id)
  }

  /** Resolves when every job started so far has ended. */
  async idle(): Promise<void> {
    while (this.settled.size > 0) await Promise.all([...this.settled])
  }

  private pump(): void {
    for (let i = 0; i < this.waiting.length && this.running < this.limits.total;) {
      const job = this.waiting[i] as { id: string; owner: string }
      const mine = this.runningByOwner.get(job.owner) ?? 0
      if (mine >= this.limits.perOwner) {
        i += 1
        continue
      }
      this.waiting.splice(i, 1)
      this.running += 1
      this.runningByOwner.set(job.owner, mine + 1)
      const done: Promise<void> = this.run(job.id)
        .catch(() => {}) // run records its own failures
        .finally(() => {
          this.running -= 1
          const left = (this.runningByOwner.get(job.owner) ?? 1) - 1
          if (left === 0) this.runningByOwner.delete(job.owner)
          else this.runningByOwner.set(job.owner, left)
          this.settled.delete(done)
          this.pump()
        })
      this.settled.add(done)
    }
  }
}
