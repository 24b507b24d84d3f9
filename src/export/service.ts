import type { Access } from '../auth/principal.js'
import type { Logger } from '../observability/logger.js'
import type { Store } from '../store/index.js'
import { ExportClaims } from './claims.js'
import { ExportReads, type ExportDownload } from './downloads.js'
import { ExportIntake } from './intake.js'
import { LegacyAdoption } from './legacy.js'
import type { ExportRequest, ExportView } from './record.js'
import { ExportFiles } from './record-files.js'
import { ExportRecords } from './record-store.js'
import { ExportSweep } from './retention.js'
import { ExportRuns } from './runs.js'
import { ExportScheduler } from './scheduler.js'

export type { ExportDownload } from './downloads.js'

export interface ExportServiceOptions {
  readonly store: Store
  /** EXPORT_DIR: shared by every replica of the API. */
  readonly dir: string
  /** EXPORT_TTL_HOURS in milliseconds. */
  readonly ttlMs: number
  /** EXPORT_CONCURRENCY: exports this replica runs at once. */
  readonly concurrency: number
  /** EXPORT_USER_CONCURRENCY: exports of one user running at once, over all replicas. */
  readonly userConcurrency: number
  /** EXPORT_WINDOW_ROWS. */
  readonly windowRows: number
  /** EXPORT_QUERY_TIMEOUT_MS. */
  readonly queryTimeoutMs: number
  /** RATE_LIMIT_EXPORTS: exports one user may have queued or running at once (all replicas); more is 429. @default unlimited */
  readonly maxActivePerUser?: number
  /**
   * Throws (a StoreUnavailableError) while the store cannot run an export: an export is then
   * refused at once with 503 and Retry-After rather than queued behind an outage of unknown
   * length, as a caller watching a status that never moves would not know why. @default always ready
   */
  readonly storeReady?: () => void
  /**
   * Registers a listener called whenever the store becomes ready again (after an outage, or its
   * tables rebuilt): records the store could not take meanwhile are saved then. @default never
   */
  readonly onStoreReady?: (listener: () => void) => void
  readonly log: Logger
  /** The clock; tests move it. @default Date.now */
  readonly now?: () => number
  /**
   * How often a replica looks for queued exports it could run (any replica's); it also looks at
   * once when it accepts one and when one of its runs ends. @default 5000
   */
  readonly pollMs?: number
  /** A running export whose replica has not renewed its claim for this long is failed. @default 30000 */
  readonly claimStaleMs?: number
}

/**
 * Export jobs, for one replica of the API among any number: started by a caller (the filter
 * checked by the access policy; intake.ts), recorded in the store, run by whichever replica claims
 * them first within its concurrency limits (scheduler.ts, claims.ts, runs.ts), written to
 * EXPORT_DIR (shared by all replicas), downloaded by their owner only (downloads.ts), deleted
 * EXPORT_TTL_HOURS after they end (retention.ts).
 *
 * Every change of status is recorded in the store, so every replica answers for every export and
 * a restart finds finished exports still downloadable. An export interrupted while running (its
 * replica stopped or crashed) is marked failed, by the replica itself on its way down or on its
 * next start, or by any replica once the claim is stale: it is not resumed, since an export that
 * brought a process down would then do it again. Queued exports wait for any replica.
 */
export class ExportService {
  private readonly timers: NodeJS.Timeout[] = []

  private constructor(
    private readonly intake: ExportIntake,
    private readonly scheduler: ExportScheduler,
    private readonly runs: ExportRuns,
    private readonly reads: ExportReads,
    private readonly retention: ExportSweep,
  ) {}

  /** Fails what a previous run of this process left running, then starts the sweeper and the scheduler. */
  static async open(options: ExportServiceOptions): Promise<ExportService> {
    const { store, log, ttlMs } = options
    const now = options.now ?? Date.now
    const storeReady = options.storeReady ?? (() => {})
    const storeIsReady = () => {
      try {
        storeReady()
        return true
      } catch {
        return false
      }
    }
    const files = await ExportFiles.open(options.dir)
    const records = new ExportRecords(store)
    const claims = new ExportClaims(files, records, options.claimStaleMs ?? 30_000)
    // A run that ends frees a slot: the scheduler looks for the next (it exists by then).
    const runs = new ExportRuns({
      store,
      files,
      records,
      self: claims.self,
      windowRows: options.windowRows,
      queryTimeoutMs: options.queryTimeoutMs,
      ttlMs,
      now,
      log,
      onEnded: () => void scheduler.schedule(),
    })
    const scheduler = new ExportScheduler({
      records,
      claims,
      runs,
      concurrency: options.concurrency,
      userConcurrency: options.userConcurrency,
      storeIsReady,
      log,
    })
    const failing = { files, records, now, ttlMs }
    const service = new ExportService(
      new ExportIntake({
        files,
        records,
        maxActivePerUser: options.maxActivePerUser ?? Infinity,
        storeReady,
        now,
      }),
      scheduler,
      runs,
      new ExportReads({ files, records, runs, now }),
      new ExportSweep({
        ...failing,
        claims,
        runs,
        legacy: new LegacyAdoption(failing),
        storeIsReady,
        log,
      }),
    )
    await service.sweep()
    const sweepEvery = Math.min(60_000, Math.max(100, ttlMs / 4))
    service.timers.push(
      setInterval(() => void service.sweep(), sweepEvery),
      setInterval(() => void scheduler.schedule(), options.pollMs ?? 5000),
    )
    for (const timer of service.timers) timer.unref()
    options.onStoreReady?.(() => void runs.saveUnsaved().then(() => scheduler.schedule()))
    void scheduler.schedule()
    return service
  }

  /**
   * Starts an export, or joins the caller's identical one still queued or running. The filter goes
   * through the access policy first: FORBIDDEN (403) when it names what the caller may not see,
   * otherwise the policy's constraints apply. `to` defaults to now; `from` to the first matching event.
   */
  async start(access: Access, request: ExportRequest): Promise<ExportView> {
    const view = await this.intake.accept(access, request)
    await this.scheduler.schedule()
    return view
  }

  /** The caller's export; NOT_FOUND (404) for anyone else's, as for one that never existed. */
  get(access: Access, id: string): Promise<ExportView> {
    return this.reads.get(access, id)
  }

  /** The caller's exports not expired, oldest first (CVAT's list of requests). */
  list(access: Access): Promise<ExportView[]> {
    return this.reads.list(access)
  }

  /** Opens a finished export's file for its owner. NOT_FOUND once it expired. */
  download(access: Access, id: string): Promise<ExportDownload> {
    return this.reads.download(access, id)
  }

  /** Exports this replica runs, and exports waiting for any replica (as last seen) (metrics). */
  counts(): { running: number; queued: number } {
    return { running: this.runs.size, queued: this.scheduler.queued }
  }

  /**
   * Fails running exports whose replica stopped, deletes the files of exports past their time,
   * and forgets expired ones a TTL later. Every replica sweeps; each step is idempotent.
   */
  sweep(): Promise<void> {
    return this.retention.sweep()
  }

  /**
   * Stops looking for work and cancels what runs here (its queries too), which is recorded as
   * failed; exports still queued stay queued for the other replicas, or this one once restarted.
   */
  async close(): Promise<void> {
    this.intake.close()
    for (const timer of this.timers) clearInterval(timer)
    await this.scheduler.close()
    await this.runs.abortAll()
  }
}
