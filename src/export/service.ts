import { EXCEPTION_SCOPE } from '../domain/scopes.js'
import { randomUUID } from 'node:crypto'
import { open, rename, rm } from 'node:fs/promises'
import { hostname } from 'node:os'
import type { Readable } from 'node:stream'
import pLimit from 'p-limit'
import { authorize } from '../auth/policy.js'
import { canRead, readRefusal, type Access } from '../auth/principal.js'
import type { AuthorizedFilter } from '../domain/filter.js'
import { diskProblemOf } from '../files/disk-errors.js'
import { badInput, forbidden, notFound, tooManyRequests, unavailable } from '../errors.js'
import type { Logger } from '../observability/logger.js'
import { QueryTimeoutError, StoreUnavailableError, type ExportQuery, type Store } from '../store/index.js'
import { FORMATS } from './formats.js'
import { ExportFiles, type ReleaseClaim } from './record-files.js'
import { ExportRecords } from './record-store.js'
import {
  exportKey,
  parseRecord,
  type ExportOwner,
  type ExportRecord,
  type ExportRequest,
  type ExportRunner,
  type ExportStatus,
  type ExportView,
} from './record.js'
import { writeExport } from './run.js'

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

/** A finished export's file, opened: a deletion after this point cannot cut the download short. */
export interface ExportDownload {
  readonly view: ExportView
  readonly size: number
  readonly contentType: string
  readonly body: Readable
}

const IN_FLIGHT: readonly ExportStatus[] = ['queued', 'running']
const FINISHED: readonly ExportStatus[] = ['done', 'failed', 'expired']
const inFlight = (r: ExportRecord) => IN_FLIGHT.includes(r.status)
/** Progress is recorded at most this often while an export runs (for status polls on other replicas). */
const PROGRESS_EVERY_MS = 1000

/**
 * Export jobs, for one replica of the API among any number: started by a caller (the filter
 * checked by the access policy), recorded in the store, run by whichever replica claims them
 * first within its concurrency limits, written to EXPORT_DIR (shared by all replicas), downloaded
 * by their owner only, deleted EXPORT_TTL_HOURS after they end.
 *
 * Every change of status is recorded in the store, so every replica answers for every export and
 * a restart finds finished exports still downloadable. An export interrupted while running (its
 * replica stopped or crashed) is marked failed, by the replica itself on its way down or on its
 * next start, or by any replica once the claim is stale: it is not resumed, since an export that
 * brought a process down would then do it again. Queued exports wait for any replica.
 */
export class ExportService {
  /** Exports this replica runs: their cancellation, and their record as it changes (live progress). */
  private readonly running = new Map<string, { controller: AbortController; record: ExportRecord }>()
  private readonly runs = new Set<Promise<void>>()
  private readonly runner: ExportRunner = { host: hostname(), pid: process.pid, instance: randomUUID() }
  private readonly now: () => number
  private readonly claimStaleMs: number
  private readonly timers: NodeJS.Timeout[] = []
  /**
   * Starts one at a time on this replica: "is an identical one in flight, is the user at the
   * limit, record it" reads then writes the store, and two starts interleaved would both pass.
   * (Across replicas, two starts in the same instant may still both pass: the store has no
   * compare-and-set; see docs/scaling.md.)
   */
  private readonly starting = pLimit(1)
  private scheduling: Promise<void> | null = null
  private scheduleAgain = false
  private queued = 0
  private closing = false
  /** Whether the records of an earlier version were moved into the store (once per start). */
  private legacyAdopted = false

  private constructor(
    private readonly options: ExportServiceOptions,
    private readonly files: ExportFiles,
    private readonly records: ExportRecords,
  ) {
    this.now = options.now ?? Date.now
    this.claimStaleMs = options.claimStaleMs ?? 30_000
  }

  /** Fails what a previous run of this process left running, then starts the sweeper and the scheduler. */
  static async open(options: ExportServiceOptions): Promise<ExportService> {
    const service = new ExportService(
      options,
      await ExportFiles.open(options.dir),
      new ExportRecords(options.store),
    )
    await service.sweep()
    const sweepEvery = Math.min(60_000, Math.max(100, options.ttlMs / 4))
    service.timers.push(
      setInterval(() => void service.sweep(), sweepEvery),
      setInterval(() => void service.schedule(), options.pollMs ?? 5000),
    )
    for (const timer of service.timers) timer.unref()
    void service.schedule()
    return service
  }

  /**
   * Starts an export, or joins the caller's identical one still queued or running. The filter goes
   * through the access policy first: FORBIDDEN (403) when it names what the caller may not see,
   * otherwise the policy's constraints apply. `to` defaults to now; `from` to the first matching event.
   */
  async start(access: Access, request: ExportRequest): Promise<ExportView> {
    const view = await this.starting(() => this.record(access, request))
    await this.schedule()
    return view
  }

  private async record(access: Access, request: ExportRequest): Promise<ExportView> {
    const filter = authorize(access, request.filter)
    const owner = ownerOf(access)
    const key = exportKey(owner, request, filter)
    this.options.storeReady?.()
    const active = await this.records.list({ statuses: IN_FLIGHT, ownerId: owner.userId })
    const same = active.find((r) => r.key === key)
    if (same) return same
    if (this.closing) throw new Error('the export service is stopping')
    const max = this.options.maxActivePerUser ?? Infinity
    if (active.length >= max) {
      throw tooManyRequests(`you have ${active.length} exports queued or running; at most ${max} at once`, 5)
    }
    // An export this replica could not write is refused now, not failed later.
    try {
      await this.files.check()
    } catch (error) {
      const problem = diskProblemOf(error)
      if (problem === 'full')
        throw unavailable('INSUFFICIENT_STORAGE', 'no space left in EXPORT_DIR to start an export', 30)
      if (problem)
        throw unavailable('INSUFFICIENT_STORAGE', 'EXPORT_DIR is not writable; no export can start', 30)
      throw error
    }
    const now = this.now()
    const record: ExportRecord = {
      version: 1,
      id: randomUUID(),
      owner,
      key,
      format: request.format,
      includeExceptions: request.includeExceptions || (filter.scopes ?? []).includes(EXCEPTION_SCOPE),
      filename: request.filename,
      filter: { ...filter },
      to: filter.to ?? now,
      from: filter.from ?? null,
      status: 'queued',
      rows: 0,
      bytes: 0,
      rowsPlanned: null,
      error: null,
      createdAt: now,
      startedAt: null,
      finishedAt: null,
      expiresAt: null,
      runner: null,
    }
    await this.records.save(record)
    return { ...record }
  }

  /** The caller's export; NOT_FOUND (404) for anyone else's, as for one that never existed. */
  async get(access: Access, id: string): Promise<ExportView> {
    return this.expireIfDue(await this.owned(access, id))
  }

  /** Opens a finished export's file for its owner. NOT_FOUND once it expired. */
  async download(access: Access, id: string): Promise<ExportDownload> {
    const record = await this.expireIfDue(await this.owned(access, id))
    if (record.status === 'expired') throw expiredError(record)
    if (record.status !== 'done')
      throw badInput(`export ${id} is ${record.status}; it can be downloaded once done`)
    let handle
    try {
      handle = await open(this.files.dataPath(record), 'r')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw expiredError(record)
      throw error
    }
    try {
      const { size } = await handle.stat()
      const body = handle.createReadStream({ highWaterMark: 1 << 20 })
      return { view: { ...record }, size, contentType: FORMATS[record.format].contentType, body }
    } catch (error) {
      await handle.close()
      throw error
    }
  }

  /** Exports this replica runs, and exports waiting for any replica (as last seen) (metrics). */
  counts(): { running: number; queued: number } {
    return { running: this.running.size, queued: this.queued }
  }

  /**
   * Fails running exports whose replica stopped, deletes the files of exports past their time,
   * and forgets expired ones a TTL later. Every replica sweeps; each step is idempotent.
   */
  async sweep(): Promise<void> {
    if (!this.storeIsReady()) return
    try {
      await this.adoptLegacyRecords()
      for (const record of await this.records.list({ statuses: ['running'] })) {
        if (this.running.has(record.id) || !(await this.runnerStopped(record))) continue
        const restarted = record.runner?.host === this.runner.host
        await this.fail(
          record,
          restarted
            ? 'the service restarted before this export finished; start it again'
            : 'the service running this export stopped before it finished; start it again',
        )
      }
      const now = this.now()
      for (const record of await this.records.list({ statuses: FINISHED })) {
        if (record.expiresAt === null || now < record.expiresAt) continue
        if (record.status === 'expired') {
          if (now < record.expiresAt + this.options.ttlMs) continue
          await this.files.removeData(record)
          await this.records.remove(record.id)
        } else {
          record.status = 'expired'
          await this.files.removeData(record)
          await this.records.save(record)
        }
      }
    } catch (error) {
      this.options.log.error('export sweep failed', { error })
    }
  }

  /**
   * Moves the records an older version kept as files into the store, at the first sweep that
   * reaches the store (no version writes them any more, so later sweeps skip it): finished ones stay
   * downloadable until they expire, queued ones run, and one that was running when that version
   * stopped is failed as any interrupted export is.
   */
  private async adoptLegacyRecords(): Promise<void> {
    if (this.legacyAdopted) return
    for (const legacy of await this.files.legacyRecords()) {
      const record = parseRecord(legacy.text)
      if (record && !(await this.records.load(record.id))) {
        if (record.status === 'running') {
          await this.fail(record, 'the service restarted before this export finished; start it again')
        } else await this.records.save(record)
      }
      await legacy.remove()
    }
    this.legacyAdopted = true
  }

  /**
   * Stops looking for work and cancels what runs here (its queries too), which is recorded as
   * failed; exports still queued stay queued for the other replicas, or this one once restarted.
   */
  async close(): Promise<void> {
    this.closing = true
    for (const timer of this.timers) clearInterval(timer)
    await this.scheduling
    for (const { controller } of this.running.values()) controller.abort()
    while (this.runs.size > 0) await Promise.all([...this.runs])
  }

  /** Whether the store can be asked now (while it is away or unmigrated, sweeps and claims wait). */
  private storeIsReady(): boolean {
    try {
      this.options.storeReady?.()
      return true
    } catch {
      return false
    }
  }

  private async owned(access: Access, id: string): Promise<ExportRecord> {
    if (!canRead(access.principal)) throw forbidden(readRefusal(access.principal, 'exports'))
    // The replica running an export answers with its progress as of now, others as last recorded.
    const record = this.running.get(id)?.record ?? (await this.records.load(id))
    if (!record || record.owner.userId !== access.principal.user.id)
      throw notFound(`export ${id} does not exist`)
    return record
  }

  /** Expiry is also checked on access, so a download never depends on the sweeper's timing. */
  private async expireIfDue(record: ExportRecord): Promise<ExportRecord> {
    if (inFlight(record) || record.status === 'expired') return { ...record }
    if (record.expiresAt === null || this.now() < record.expiresAt) return record
    record.status = 'expired'
    await this.files.removeData(record)
    await this.records.save(record)
    return { ...record }
  }

  /** Whether a running export's replica is gone: a previous process on this host, or a stale claim. */
  private async runnerStopped(record: ExportRecord): Promise<boolean> {
    const runner = record.runner
    if (runner && runner.host === this.runner.host && runner.instance !== this.runner.instance) {
      if (runner.pid === process.pid || !processAlive(runner.pid)) return true
    }
    return !(await this.files.isClaimed(record.id, this.claimStaleMs))
  }

  /**
   * Claims queued exports (any replica's, oldest first) while this replica has free slots and
   * their owners are under their limit. One pass at a time; a call during a pass makes another.
   */
  private schedule(): Promise<void> {
    if (this.scheduling) {
      this.scheduleAgain = true
      return this.scheduling
    }
    this.scheduling = (async () => {
      try {
        do {
          this.scheduleAgain = false
          await this.claimQueued()
        } while (this.scheduleAgain && !this.closing)
      } catch (error) {
        this.options.log.error('export scheduling failed', { error })
      } finally {
        this.scheduling = null
      }
    })()
    return this.scheduling
  }

  private async claimQueued(): Promise<void> {
    if (this.closing || !this.storeIsReady()) return
    const queued = await this.records.list({ statuses: ['queued'] })
    this.queued = queued.length
    if (queued.length === 0 || this.running.size >= this.options.concurrency) return
    const perOwner = new Map<string, number>()
    for (const r of await this.records.list({ statuses: ['running'] }))
      perOwner.set(r.owner.userId, (perOwner.get(r.owner.userId) ?? 0) + 1)
    for (const candidate of queued) {
      if (this.closing || this.running.size >= this.options.concurrency) return
      const owner = candidate.owner.userId
      if ((perOwner.get(owner) ?? 0) >= this.options.userConcurrency) continue
      const controller = new AbortController()
      const release = await this.files.claim(candidate.id, this.claimStaleMs, (error) => {
        this.options.log.error('lost the claim of a running export', { exportId: candidate.id, error })
        controller.abort()
      })
      if (!release) continue
      // Claimed: unless another replica ran it to the end meanwhile, it is ours to run.
      const record = await this.records.load(candidate.id)
      if (record?.status !== 'queued') {
        await release()
        continue
      }
      perOwner.set(owner, (perOwner.get(owner) ?? 0) + 1)
      this.queued -= 1
      await this.begin(record, controller, release)
    }
  }

  private async begin(
    record: ExportRecord,
    controller: AbortController,
    release: ReleaseClaim,
  ): Promise<void> {
    this.running.set(record.id, { controller, record })
    record.status = 'running'
    record.startedAt = this.now()
    record.runner = this.runner
    try {
      await this.records.save(record)
    } catch (error) {
      this.running.delete(record.id)
      await release()
      throw error
    }
    const run: Promise<void> = this.run(record, controller, release).finally(() => {
      this.runs.delete(run)
      void this.schedule()
    })
    this.runs.add(run)
  }

  private async run(record: ExportRecord, controller: AbortController, release: ReleaseClaim): Promise<void> {
    const part = this.files.partPath(record)
    // The authorized filter, as recorded when the export started.
    const query: ExportQuery = {
      filter: { ...record.filter, to: record.to } as AuthorizedFilter,
      excludeScopes: record.includeExceptions ? [] : [EXCEPTION_SCOPE],
    }
    let recorded = this.now()
    let recording: Promise<void> = Promise.resolve()
    try {
      await writeExport(this.options.store, query, {
        format: record.format,
        windowRows: this.options.windowRows,
        timeoutMs: this.options.queryTimeoutMs,
        path: part,
        signal: controller.signal,
        onPlan: (plan) => {
          record.rowsPlanned = plan.rows
          record.from ??= plan.firstMs
        },
        onProgress: (rows, bytes) => {
          record.rows += rows
          record.bytes += bytes
          // Other replicas answer status polls from the store: progress every second.
          if (this.now() - recorded < PROGRESS_EVERY_MS) return
          recorded = this.now()
          recording = recording.then(() => this.records.save({ ...record })).catch(() => {})
        },
      })
      await rename(part, this.files.dataPath(record))
      this.finish(record, 'done', null)
    } catch (error) {
      await rm(part, { force: true }).catch(() => {})
      this.finish(record, 'failed', this.describeFailure(record, error, controller.signal.aborted))
    } finally {
      await recording
      await this.records
        .save(record)
        .catch((error: unknown) =>
          this.options.log.error('could not record an export', { exportId: record.id, error }),
        )
      this.running.delete(record.id)
      await release().catch(() => {})
    }
  }

  private async fail(record: ExportRecord, error: string): Promise<void> {
    this.finish(record, 'failed', error)
    await this.files.removeData(record)
    await this.files.removeClaim(record.id)
    await this.records.save(record)
  }

  private finish(record: ExportRecord, status: 'done' | 'failed', error: string | null): void {
    const now = this.now()
    record.status = status
    record.error = error
    record.finishedAt = now
    record.expiresAt = now + this.options.ttlMs
  }

  /** The error a caller sees: what went wrong in their terms; details only in the service log. */
  private describeFailure(record: ExportRecord, error: unknown, stopped: boolean): string {
    if (stopped) return 'the service stopped before this export finished; start it again'
    if (error instanceof QueryTimeoutError) {
      return `a query of this export took longer than ${this.options.queryTimeoutMs} ms (EXPORT_QUERY_TIMEOUT_MS)`
    }
    if (error instanceof StoreUnavailableError)
      return 'the event store was unreachable; start the export again'
    const problem = diskProblemOf(error)
    if (problem === 'full') return 'no space left for the export file (EXPORT_DIR)'
    if (problem === 'unwritable') return 'the export file could not be written: EXPORT_DIR is not writable'
    this.options.log.error('export failed', { exportId: record.id, error })
    return `internal error; export ${record.id} in the service log tells more`
  }
}

function ownerOf(access: Access): ExportOwner {
  const { user, token } = access.principal
  return { userId: user.id, username: user.username, tokenId: token?.id ?? null }
}

function expiredError(record: ExportRecord) {
  const at = record.expiresAt === null ? '' : ` at ${new Date(record.expiresAt).toISOString()}`
  return notFound(`export ${record.id} expired${at}; its file was deleted`)
}

/** Whether a process of this host still runs (EPERM: it does, as another user). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
