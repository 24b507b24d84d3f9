import { open } from 'node:fs/promises'
import type { Readable } from 'node:stream'
import { canRead, readRefusal, type Access } from '../auth/principal.js'
import { badInput, forbidden, notFound } from '../errors.js'
import { FORMATS } from './formats.js'
import { IN_FLIGHT } from './intake.js'
import type { ExportRecord, ExportStatus, ExportView } from './record.js'
import type { ExportFiles } from './record-files.js'
import type { ExportRecords } from './record-store.js'
import type { ExportRuns } from './runs.js'

const LISTED: readonly ExportStatus[] = ['queued', 'running', 'done', 'failed']

/** A finished export's file, opened: a deletion after this point cannot cut the download short. */
export interface ExportDownload {
  readonly view: ExportView
  readonly size: number
  readonly contentType: string
  readonly body: Readable
}

export interface ExportReadsOptions {
  readonly files: ExportFiles
  readonly records: ExportRecords
  readonly runs: ExportRuns
  readonly now: () => number
}

/**
 * What an export's owner reads: its status (live progress from the replica running it, else as
 * last recorded) and its file. Anyone else's export is NOT_FOUND, as one that never existed.
 * Expiry is also checked here, so a download never depends on the sweeper's timing.
 */
export class ExportReads {
  constructor(private readonly options: ExportReadsOptions) {}

  async get(access: Access, id: string): Promise<ExportView> {
    return this.expireIfDue(await this.owned(access, id))
  }

  /**
   * The caller's exports that are not expired (any credential of theirs: CVAT lists a user's
   * requests), oldest first, with live progress where this replica runs them.
   */
  async list(access: Access): Promise<ExportView[]> {
    if (!canRead(access.principal)) throw forbidden(readRefusal(access.principal, 'exports'))
    const { records, runs } = this.options
    const stored = await records.list({ statuses: LISTED, ownerId: access.principal.user.id })
    const views = await Promise.all(stored.map((r) => this.expireIfDue(runs.current(r.id) ?? r)))
    return views.filter((v) => v.status !== 'expired')
  }

  /** Opens a finished export's file for its owner. NOT_FOUND once it expired. */
  async download(access: Access, id: string): Promise<ExportDownload> {
    const record = await this.expireIfDue(await this.owned(access, id))
    if (record.status === 'expired') throw expiredError(record)
    if (record.status !== 'done')
      throw badInput(`export ${id} is ${record.status}; it can be downloaded once done`)
    let handle
    try {
      handle = await open(this.options.files.dataPath(record), 'r')
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

  private async owned(access: Access, id: string): Promise<ExportRecord> {
    if (!canRead(access.principal)) throw forbidden(readRefusal(access.principal, 'exports'))
    const record = this.options.runs.current(id) ?? (await this.options.records.load(id))
    if (!record || record.owner.userId !== access.principal.user.id)
      throw notFound(`export ${id} does not exist`)
    return record
  }

  private async expireIfDue(record: ExportRecord): Promise<ExportRecord> {
    if (IN_FLIGHT.includes(record.status) || record.status === 'expired') return { ...record }
    if (record.expiresAt === null || this.options.now() < record.expiresAt) return record
    record.status = 'expired'
    await this.options.files.removeData(record)
    await this.options.records.save(record)
    return { ...record }
  }
}

function expiredError(record: ExportRecord) {
  const at = record.expiresAt === null ? '' : ` at ${new Date(record.expiresAt).toISOString()}`
  return notFound(`export ${record.id} expired${at}; its file was deleted`)
}
