export interface QueueLimits {
  /** Runs going on at once. */
  readonly total: number
  /** Runs of one owner going on at once. */
  readonly perOwner: number
}

/**
 * First come, first served within two limits: exports running in all, and per owner. An export
 * whose owner is at its limit waits without holding up other owners' exports behind it. ("Job"
 * means a CVAT job in this code base, so an export's work item is a run.)
 */
export class RunQueue {
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

  /** Takes every waiting run out of the queue (on stop) and returns their ids. */
  drain(): string[] {
    return this.waiting.splice(0).map((run) => run.id)
  }

  /** Resolves when every run started so far has ended. */
  async idle(): Promise<void> {
    while (this.settled.size > 0) await Promise.all([...this.settled])
  }

  private pump(): void {
    for (let i = 0; i < this.waiting.length && this.running < this.limits.total;) {
      const next = this.waiting[i] as { id: string; owner: string }
      const mine = this.runningByOwner.get(next.owner) ?? 0
      if (mine >= this.limits.perOwner) {
        i += 1
        continue
      }
      this.waiting.splice(i, 1)
      this.running += 1
      this.runningByOwner.set(next.owner, mine + 1)
      const done: Promise<void> = this.run(next.id)
        .catch(() => {}) // run records its own failures
        .finally(() => {
          this.running -= 1
          const left = (this.runningByOwner.get(next.owner) ?? 1) - 1
          if (left === 0) this.runningByOwner.delete(next.owner)
          else this.runningByOwner.set(next.owner, left)
          this.settled.delete(done)
          this.pump()
        })
      this.settled.add(done)
    }
  }
}
