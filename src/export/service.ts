import { randomUUID } from 'node:crypto'
import { open, rename, rm } from 'node:fs/promises'
import type { Readable } from 'node:stream'
import { authorize } from '../auth/policy.js'
import { canRead, type Access } from '../auth/principal.js'
import { diskProblemOf } from '../disk-errors.js'
import { badInput, forbidden, notFound, tooManyRequests, unavailable } from '../errors.js'
import type { Logger } from '../logger.js'
import { QueryTimeoutError, StoreUnavailableError, type ExportQuery, type Store } from '../store/index.js'
import { FORMATS } from './formats.js'
import { ExportFiles } from './record-files.js'
import {
  exportKey,
  type ExportOwner,
  type ExportRecord,
  type ExportRequest,
  type ExportView,
} from './record.js'
import { RunQueue } from './queue.js'
import { writeExport } from './run.js'

export interface ExportServiceOptions {
  readonly store: Store
  /** EXPORT_DIR. */
  readonly dir: string
  /** EXPORT_TTL_HOURS in milliseconds. */
  readonly ttlMs: number
  /** EXPORT_CONCURRENCY. */
  readonly concurrency: number
  /** EXPORT_USER_CONCURRENCY. */
  readonly userConcurrency: number
  /** EXPORT_WINDOW_ROWS. */
  readonly windowRows: number
  /** EXPORT_QUERY_TIMEOUT_MS. */
  readonly queryTimeoutMs: number
  /** RATE_LIMIT_EXPORTS: exports one user may have queued or running at once; more is 429. @default unlimited */
  readonly maxActivePerUser?: number
  readonly log: Logger
  /** The clock; tests move it. @default Date.now */
  readonly now?: () => number
  /**
   * Throws (a StoreUnavailableError) while the store cannot run an export: an export is then
   * refused at once with 503 and Retry-After rather than queued behind an outage of unknown
   * length, as a caller watching a status that never moves would not know why. @default always ready
   */
  readonly storeReady?: () => void
}

/** A finished export's file, opened: a deletion after this point cannot cut the download short. */
export interface ExportDownload {
  readonly view: ExportView
  readonly size: number
  readonly contentType: string
  readonly body: Readable
}

const EXCEPTION_SCOPE = 'send:exception'
const inFlight = (r: ExportRecord) => r.status === 'queued' || r.status === 'running'

/**
 * Export jobs: started by a caller (the filter checked by the access policy), run in the background
 * within the concurrency limits, written to EXPORT_DIR, downloaded by their owner only, deleted
 * EXPORT_TTL_HOURS after they end. Every change of status is recorded on disk, so a restart finds
 * finished exports still downloadable, and marks the ones it interrupted as failed: it does not
 * resume them, since an export that brought the process down would then do it again at every start.
 */
export class ExportService {
  private readonly records = new Map<string, ExportRecord>()
  /** The authorized query of each export not yet run; never restored from disk (see above). */
  private readonly queries = new Map<string, ExportQuery>()
  private readonly running = new Map<string, AbortController>()
  private readonly queue: RunQueue
  private readonly now: () => number
  private sweeper: NodeJS.Timeout | undefined
  private closing = false

  private constructor(
    private readonly options: ExportServiceOptions,
    private readonly files: ExportFiles,
  ) {
    this.now = options.now ?? Date.now
    this.queue = new RunQueue({ total: options.concurrency, perOwner: options.userConcurrency }, (id) =>
      this.run(id),
    )
  }

  /** Loads the recorded exports (failing the ones a restart interrupted) and starts the sweeper. */
  static async open(options: ExportServiceOptions): Promise<ExportService> {
    const service = new ExportService(options, await ExportFiles.open(options.dir))
    await service.restore()
    const interval = Math.min(60_000, Math.max(100, options.ttlMs / 4))
    service.sweeper = setInterval(() => void service.sweep(), interval)
    service.sweeper.unref()
    return service
  }

  /**
   * Starts an export, or joins the caller's identical one still queued or running. The filter goes
   * through the access policy first: FORBIDDEN (403) when it names what the caller may not see,
   * otherwise the policy's constraints apply. `to` defaults to now; `from` to the first matching event.
   */
  async start(access: Access, request: ExportRequest): Promise<ExportView> {
    const filter = authorize(access, request.filter)
    const owner = ownerOf(access)
    const key = exportKey(owner, request, filter)
    const same = [...this.records.values()].find((r) => r.key === key && inFlight(r))
    if (same) return { ...same }
    if (this.closing) throw new Error('the export service is stopping')
    this.options.storeReady?.()
    const max = this.options.maxActivePerUser ?? Infinity
    const active = [...this.records.values()].filter((r) => r.owner.userId === owner.userId && inFlight(r))
    if (active.length >= max) {
      throw tooManyRequests(`you have ${active.length} exports queued or running; at most ${max} at once`, 5)
    }
    const now = this.now()
    const keepExceptions = request.includeExceptions || (filter.scopes ?? []).includes(EXCEPTION_SCOPE)
    const record: ExportRecord = {
      version: 1,
      id: randomUUID(),
      owner,
      key,
      format: request.format,
      includeExceptions: keepExceptions,
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
    }
    this.records.set(record.id, record)
    this.queries.set(record.id, {
      filter: { ...filter, to: record.to },
      excludeScopes: keepExceptions ? [] : [EXCEPTION_SCOPE],
    })
    try {
      await this.files.save(record)
    } catch (error) {
      this.records.delete(record.id)
      this.queries.delete(record.id)
      const problem = diskProblemOf(error)
      if (problem === 'full')
        throw unavailable('INSUFFICIENT_STORAGE', 'no space left in EXPORT_DIR to start an export', 30)
      if (problem)
        throw unavailable('INSUFFICIENT_STORAGE', 'EXPORT_DIR is not writable; no export can start', 30)
      throw error
    }
    this.queue.push(record.id, owner.userId)
    return { ...record }
  }

  /** The caller's export; NOT_FOUND (404) for anyone else's, as for one that never existed. */
  get(access: Access, id: string): ExportView {
    const record = this.owned(access, id)
    this.expireIfDue(record)
    return { ...record }
  }

  /** Opens a finished export's file for its owner. NOT_FOUND once it expired. */
  async download(access: Access, id: string): Promise<ExportDownload> {
    const record = this.owned(access, id)
    this.expireIfDue(record)
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

  /** Exports running and waiting now (metrics). */
  counts(): { running: number; queued: number } {
    let queued = 0
    for (const record of this.records.values()) if (record.status === 'queued') queued += 1
    return { running: this.running.size, queued }
  }

  /** Deletes the files of exports past their time, and forgets expired ones a TTL later. */
  async sweep(): Promise<void> {
    const now = this.now()
    for (const record of [...this.records.values()]) {
      try {
        if (record.expiresAt === null || now < record.expiresAt) continue
        if (record.status === 'expired') {
          if (now < record.expiresAt + this.options.ttlMs) continue
          this.records.delete(record.id)
          await this.files.removeAll(record)
        } else if (!inFlight(record)) {
          record.status = 'expired'
          await this.files.removeData(record)
          await this.files.save(record)
        }
      } catch (error) {
        this.options.log.error('export sweep failed', { exportId: record.id, error })
      }
    }
  }

  /** Stops the sweeper, fails what is queued, cancels what runs (its query too) and waits for it. */
  async close(): Promise<void> {
    this.closing = true
    clearInterval(this.sweeper)
    for (const id of this.queue.drain()) {
      const record = this.records.get(id)
      if (!record) continue
      this.finish(record, 'failed', 'the service stopped before this export started; start it again')
      this.queries.delete(id)
      await this.files.save(record)
    }
    for (const controller of this.running.values()) controller.abort()
    await this.queue.idle()
  }

  private async restore(): Promise<void> {
    for (const record of await this.files.loadAll(this.options.log)) {
      if (inFlight(record)) {
        this.finish(record, 'failed', 'the service restarted before this export finished; start it again')
        await this.files.removeData(record)
        await this.files.save(record)
      }
      this.records.set(record.id, record)
    }
    await this.sweep()
  }

  private owned(access: Access, id: string): ExportRecord {
    if (!canRead(access.principal)) throw forbidden('ingest tokens may not read exports; use a read token')
    const record = this.records.get(id)
    if (!record || record.owner.userId !== access.principal.user.id)
      throw notFound(`export ${id} does not exist`)
    return record
  }

  /** Expiry is also checked on access, so a download never depends on the sweeper's timing. */
  private expireIfDue(record: ExportRecord): void {
    if (inFlight(record) || record.status === 'expired') return
    if (record.expiresAt === null || this.now() < record.expiresAt) return
    record.status = 'expired'
    this.files
      .removeData(record)
      .then(() => this.files.save(record))
      .catch((error: unknown) =>
        this.options.log.error('export expiry failed', { exportId: record.id, error }),
      )
  }

  private async run(id: string): Promise<void> {
    const record = this.records.get(id)
    const query = this.queries.get(id)
    if (!record || !query || record.status !== 'queued') return
    const controller = new AbortController()
    this.running.set(id, controller)
    record.status = 'running'
    record.startedAt = this.now()
    const part = this.files.partPath(record)
    try {
      await this.files.save(record)
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
        },
      })
      await rename(part, this.files.dataPath(record))
      this.finish(record, 'done', null)
    } catch (error) {
      await rm(part, { force: true }).catch(() => {})
      this.finish(record, 'failed', this.describeFailure(record, error, controller.signal.aborted))
    } finally {
      this.running.delete(id)
      this.queries.delete(id)
      await this.files
        .save(record)
        .catch((error: unknown) =>
          this.options.log.error('could not record an export', { exportId: id, error }),
        )
    }
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
