import { settlesWithin } from '../domain/settles-within.js'
import type { Logger } from '../observability/logger.js'
import type { ExportClaims } from './claims.js'
import type { ExportRecords } from './record-store.js'
import type { ExportRuns } from './runs.js'

/** How long a stop waits for a pass under way; one waiting on a hung store ends once the store closes. */
const CLOSE_WAIT_MS = 1_000

export interface ExportSchedulerOptions {
  readonly records: ExportRecords
  readonly claims: ExportClaims
  readonly runs: ExportRuns
  /** Exports this replica runs at once (EXPORT_CONCURRENCY). */
  readonly concurrency: number
  /** Exports of one user running at once, over all replicas (EXPORT_USER_CONCURRENCY). */
  readonly userConcurrency: number
  /** Whether the store can be asked now; while it cannot, nothing is claimed. */
  readonly storeIsReady: () => boolean
  readonly log: Logger
}

/**
 * The queue: claims queued exports (any replica's, oldest first) while this replica has free
 * slots and their owners are under their limit, and hands them to the runs. One pass at a time;
 * a call during a pass makes another once it ends.
 */
export class ExportScheduler {
  /** Exports waiting for any replica, as last seen (metrics). */
  queued = 0
  private scheduling: Promise<void> | null = null
  private again = false
  private closing = false

  constructor(private readonly options: ExportSchedulerOptions) {}

  /** Claims what it can now; resolves once this pass (and any asked for meanwhile) ends. */
  schedule(): Promise<void> {
    if (this.scheduling) {
      this.again = true
      return this.scheduling
    }
    this.scheduling = (async () => {
      try {
        do {
          this.again = false
          await this.claimQueued()
        } while (this.again && !this.closing)
      } catch (error) {
        // After close the store is closed under a pass still waiting on it: expected, not a fault.
        if (this.closing)
          this.options.log.info('export scheduling ended with the service', { error: String(error) })
        else this.options.log.error('export scheduling failed', { error })
      } finally {
        this.scheduling = null
      }
    })()
    return this.scheduling
  }

  /**
   * Claims nothing more; resolves once a pass under way ends, or after CLOSE_WAIT_MS: a pass that
   * waits on a hung store must not hold the stop past its budget. Such a pass claims nothing once
   * it wakes (it checks `closing` after every wait), and the store's close ends its wait.
   */
  async close(): Promise<void> {
    this.closing = true
    if (this.scheduling) await settlesWithin(this.scheduling, CLOSE_WAIT_MS)
  }

  private async claimQueued(): Promise<void> {
    const { records, claims, runs, concurrency, userConcurrency } = this.options
    if (this.closing || !this.options.storeIsReady()) return
    const queued = await records.list({ statuses: ['queued'] })
    this.queued = queued.length
    if (queued.length === 0 || runs.size >= concurrency) return
    const perOwner = new Map<string, number>()
    for (const r of await records.list({ statuses: ['running'] }))
      perOwner.set(r.owner.userId, (perOwner.get(r.owner.userId) ?? 0) + 1)
    for (const candidate of queued) {
      if (this.closing || runs.size >= concurrency) return
      const owner = candidate.owner.userId
      if ((perOwner.get(owner) ?? 0) >= userConcurrency) continue
      const controller = new AbortController()
      const claimed = await claims.take(candidate.id, (error) => {
        this.options.log.error('lost the claim of a running export', { exportId: candidate.id, error })
        controller.abort()
      })
      if (!claimed) continue
      if (this.closing) {
        // Closed while claiming: the export stays queued, for another replica or the next start.
        await claimed.release()
        return
      }
      perOwner.set(owner, (perOwner.get(owner) ?? 0) + 1)
      this.queued -= 1
      await runs.begin(claimed, controller)
    }
  }
}
