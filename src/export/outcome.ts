import type { ExportRecord } from './record.js'
import type { ExportFiles } from './record-files.js'
import type { ExportRecords } from './record-store.js'

/** Ends an export in memory: its status, error and end time; its file and record go EXPORT_TTL_HOURS later. */
export function finish(
  record: ExportRecord,
  status: 'done' | 'failed',
  error: string | null,
  now: number,
  ttlMs: number,
): void {
  record.status = status
  record.error = error
  record.finishedAt = now
  record.expiresAt = now + ttlMs
}

/** What a failed export needs beside its record: the folder, the records, the clock and the TTL. */
export interface FailContext {
  readonly files: ExportFiles
  readonly records: ExportRecords
  readonly now: () => number
  readonly ttlMs: number
}

/**
 * Fails an export no replica runs any more (interrupted, or left running by an earlier version):
 * its partial file and its claim are deleted, and the failure recorded for its owner to read.
 */
export async function failAbandoned(ctx: FailContext, record: ExportRecord, error: string): Promise<void> {
  finish(record, 'failed', error, ctx.now(), ctx.ttlMs)
  await ctx.files.removeData(record)
  await ctx.files.removeClaim(record.id)
  await ctx.records.save(record)
}

/** The message of an export interrupted by a restart of the service that ran it. */
export const RESTARTED = 'the service restarted before this export finished; start it again'
