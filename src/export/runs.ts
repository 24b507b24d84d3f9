import { rename, rm } from 'node:fs/promises'
import type { AuthorizedFilter } from '../domain/filter.js'
import { EXCEPTION_SCOPE } from '../domain/scopes.js'
import { diskProblemOf } from '../files/disk-errors.js'
import type { Logger } from '../observability/logger.js'
import { QueryTimeoutError, StoreUnavailableError, type ExportQuery, type Store } from '../store/index.js'
import type { ClaimedExport } from './claims.js'
import { finish } from './outcome.js'
import type { ExportRecord, ExportRunner } from './record.js'
import type { ExportFiles } from './record-files.js'
import type { ExportRecords } from './record-store.js'
import { writeExport } from './write-file.js'

export interface ExportRunsOptions {
  readonly store: Store
  readonly files: ExportFiles
  readonly records: ExportRecords
  /** This replica, recorded on what it runs. */
  readonly self: ExportRunner
  readonly windowRows: number
  readonly queryTimeoutMs: number
  readonly ttlMs: number
  readonly now: () => number
  readonly log: Logger
  /** Called whenever a run ends (a slot is free). */
  readonly onEnded: () => void
}

/** Progress is recorded at most this often while an export runs (for status polls on other replicas). */
const PROGRESS_EVERY_MS = 1000

/**
 * The exports this replica runs: each written to `<id>.<ext>.part`, renamed once complete, its
 * record saved at the start, every second while it runs and at the end (done or failed, with the
 * reason in its owner's terms), its claim released last.
 */
export class ExportRuns {
  /** Their cancellation, and their record as it changes (live progress). */
  private readonly running = new Map<string, { controller: AbortController; record: ExportRecord }>()
  private readonly runs = new Set<Promise<void>>()
  /** Records of runs that ended while the store could not take them (its tables gone): saved once it can. */
  private readonly unsaved = new Map<string, ExportRecord>()

  constructor(private readonly options: ExportRunsOptions) {}

  get size(): number {
    return this.running.size
  }

  /** The record of an export running here (or ended here, not yet saved), as of now. */
  current(id: string): ExportRecord | undefined {
    return this.running.get(id)?.record ?? this.unsaved.get(id)
  }

  /** Saves the records the store could not take when their runs ended (it is back). */
  async saveUnsaved(): Promise<void> {
    for (const [id, record] of this.unsaved) {
      try {
        await this.options.records.save(record)
        this.unsaved.delete(id)
      } catch (error) {
        this.options.log.error('could not record an export', { exportId: id, error })
      }
    }
  }

  /** Records a claimed export as running here and starts writing it; resolves once it is recorded. */
  async begin(claimed: ClaimedExport, controller: AbortController): Promise<void> {
    const { record, release } = claimed
    this.running.set(record.id, { controller, record })
    record.status = 'running'
    record.startedAt = this.options.now()
    record.runner = this.options.self
    try {
      await this.options.records.save(record)
    } catch (error) {
      this.running.delete(record.id)
      await release()
      throw error
    }
    const run: Promise<void> = this.run(claimed, controller).finally(() => {
      this.runs.delete(run)
      this.options.onEnded()
    })
    this.runs.add(run)
  }

  /** Cancels every run (their queries too), and resolves once all are recorded as failed. */
  async abortAll(): Promise<void> {
    for (const { controller } of this.running.values()) controller.abort()
    while (this.runs.size > 0) await Promise.all([...this.runs])
  }

  private async run({ record, release }: ClaimedExport, controller: AbortController): Promise<void> {
    const { files, records, now, ttlMs } = this.options
    const part = files.partPath(record)
    // The authorized filter, as recorded when the export started.
    const query: ExportQuery = {
      filter: { ...record.filter, to: record.to } as AuthorizedFilter,
      excludeScopes: record.includeExceptions ? [] : [EXCEPTION_SCOPE],
    }
    let recorded = now()
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
          if (now() - recorded < PROGRESS_EVERY_MS) return
          recorded = now()
          recording = recording.then(() => records.save({ ...record })).catch(() => {})
        },
      })
      await rename(part, files.dataPath(record))
      finish(record, 'done', null, now(), ttlMs)
    } catch (error) {
      await rm(part, { force: true }).catch(() => {})
      const reason = this.describeFailure(record, error, controller.signal.aborted)
      finish(record, 'failed', reason, now(), ttlMs)
    } finally {
      await recording
      await records.save(record).catch((error: unknown) => {
        // The store away (or its tables dropped and being rebuilt): kept until it is back.
        if (error instanceof StoreUnavailableError) this.unsaved.set(record.id, record)
        else this.options.log.error('could not record an export', { exportId: record.id, error })
      })
      this.running.delete(record.id)
      await release().catch(() => {})
    }
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
