import { randomUUID } from 'node:crypto'
import pLimit from 'p-limit'
import { authorize } from '../auth/policy.js'
import type { Access } from '../auth/principal.js'
import { EXCEPTION_SCOPE } from '../domain/scopes.js'
import { tooManyRequests, unavailable } from '../errors.js'
import { diskProblemOf } from '../files/disk-errors.js'
import {
  exportKey,
  type ExportOwner,
  type ExportRecord,
  type ExportRequest,
  type ExportStatus,
  type ExportView,
} from './record.js'
import type { ExportFiles } from './record-files.js'
import type { ExportRecords } from './record-store.js'

export interface ExportIntakeOptions {
  readonly files: ExportFiles
  readonly records: ExportRecords
  /** Exports one user may have queued or running at once (all replicas); more is 429. */
  readonly maxActivePerUser: number
  /** Throws (StoreUnavailableError) while the store cannot take an export. */
  readonly storeReady: () => void
  readonly now: () => number
}

export const IN_FLIGHT: readonly ExportStatus[] = ['queued', 'running']

/**
 * Accepts exports: checks the filter against the access policy, joins the caller's identical
 * export in flight, applies the per-user limit and the folder's health, and records a new one as
 * queued (the scheduler takes it from there).
 *
 * Starts are taken one at a time on this replica: "is an identical one in flight, is the user at
 * the limit, record it" reads then writes the store, and two starts interleaved would both pass.
 * (Across replicas, two starts in the same instant may still both pass: the store has no
 * compare-and-set; see docs/scaling.md.)
 */
export class ExportIntake {
  private readonly one = pLimit(1)
  private closing = false

  constructor(private readonly options: ExportIntakeOptions) {}

  accept(access: Access, request: ExportRequest): Promise<ExportView> {
    return this.one(() => this.record(access, request))
  }

  /** Accepts nothing new (joining an export in flight still works). */
  close(): void {
    this.closing = true
  }

  private async record(access: Access, request: ExportRequest): Promise<ExportView> {
    const { records, now } = this.options
    const filter = authorize(access, request.filter)
    const owner = ownerOf(access)
    const key = exportKey(owner, request, filter)
    this.options.storeReady()
    const active = await records.list({ statuses: IN_FLIGHT, ownerId: owner.userId })
    const same = active.find((r) => r.key === key)
    if (same) return same
    if (this.closing) throw new Error('the export service is stopping')
    const max = this.options.maxActivePerUser
    if (active.length >= max) {
      throw tooManyRequests(`you have ${active.length} exports queued or running; at most ${max} at once`, 5)
    }
    await this.checkFolder()
    const at = now()
    const record: ExportRecord = {
      version: 1,
      id: randomUUID(),
      owner,
      key,
      format: request.format,
      includeExceptions: request.includeExceptions || (filter.scopes ?? []).includes(EXCEPTION_SCOPE),
      filename: request.filename,
      filter: { ...filter },
      to: filter.to ?? at,
      from: filter.from ?? null,
      status: 'queued',
      rows: 0,
      bytes: 0,
      rowsPlanned: null,
      error: null,
      createdAt: at,
      startedAt: null,
      finishedAt: null,
      expiresAt: null,
      runner: null,
    }
    await records.save(record)
    return { ...record }
  }

  /** An export this replica could not write is refused now, not failed later. */
  private async checkFolder(): Promise<void> {
    try {
      await this.options.files.check()
    } catch (error) {
      const problem = diskProblemOf(error)
      if (problem === 'full')
        throw unavailable('INSUFFICIENT_STORAGE', 'no space left in EXPORT_DIR to start an export', 30)
      if (problem)
        throw unavailable('INSUFFICIENT_STORAGE', 'EXPORT_DIR is not writable; no export can start', 30)
      throw error
    }
  }
}

function ownerOf(access: Access): ExportOwner {
  const { user, token } = access.principal
  return { userId: user.id, username: user.username, tokenId: token?.id ?? null }
}
