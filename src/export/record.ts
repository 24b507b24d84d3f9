import type { EventFilter } from '../domain/filter.js'
import type { ExportFormat } from './formats.js'

/** `expired`: the file was deleted (EXPORT_TTL_HOURS after the export ended); the status lingers as long again. */
export type ExportStatus = 'queued' | 'running' | 'done' | 'failed' | 'expired'

/**
 * Who started an export. Only this user sees it, with any of their credentials (password or read
 * token): a token reads exactly what its user reads, so telling them apart would protect nothing.
 * The token is recorded for the audit trail.
 */
export interface ExportOwner {
  readonly userId: string
  readonly username: string
  readonly tokenId: string | null
}

/** What a caller asks for; the filter is checked against the access policy when the export starts. */
export interface ExportRequest {
  readonly filter: EventFilter
  readonly format: ExportFormat
  /** CVAT leaves `send:exception` rows out; true (or naming the scope in the filter) keeps them. */
  readonly includeExceptions: boolean
  /** The attachment's name; null: `logs_<time of the download>.<ext>`. */
  readonly filename: string | null
}

/** The replica running an export: how the others tell a crashed replica's export from a live one. */
export interface ExportRunner {
  readonly host: string
  readonly pid: number
  /** Random per process: a restarted process with the same pid (containers) is another instance. */
  readonly instance: string
}

/**
 * One export, as recorded in the store at every change of status (and now and then while it
 * runs) and reported. Times are epoch milliseconds.
 */
export interface ExportRecord {
  readonly version: 1
  readonly id: string
  readonly owner: ExportOwner
  /** Identical in-flight requests of one owner (same key) share one export. */
  readonly key: string
  readonly format: ExportFormat
  readonly includeExceptions: boolean
  readonly filename: string | null
  /** The filter as the access policy returned it (its forced organization or user included). */
  readonly filter: EventFilter
  /** Upper time bound: as asked, else the time of the request. */
  readonly to: number
  /** Lower time bound: as asked, else the first matching event once planned; null: nothing matched. */
  from: number | null
  status: ExportStatus
  /** Rows and bytes written so far (final once done). */
  rows: number
  bytes: number
  /** Rows the plan counted before writing; null until planned. */
  rowsPlanned: number | null
  error: string | null
  readonly createdAt: number
  startedAt: number | null
  finishedAt: number | null
  /** When the file (and then the status) goes: EXPORT_TTL_HOURS after the export ended. */
  expiresAt: number | null
  /** Who runs or ran it; null while queued. */
  runner: ExportRunner | null
}

/** A snapshot of a record, safe to hand out. */
export type ExportView = Readonly<ExportRecord>

/** The sharing key: owner, format, exceptions and the authorized filter, with lists in a stable order. */
export function exportKey(owner: ExportOwner, request: ExportRequest, filter: EventFilter): string {
  const sorted = Object.fromEntries(
    Object.entries(filter)
      .filter(([, value]) => value !== undefined)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, value]) => [
        key,
        Array.isArray(value) ? [...(value as unknown[])].map(String).sort() : value,
      ]),
  )
  return JSON.stringify([owner.userId, request.format, request.includeExceptions, sorted])
}

/** Reads a record's JSON (as ExportRecords saves it); undefined when it is not one. */
export function parseRecord(text: string): ExportRecord | undefined {
  try {
    const value = JSON.parse(text) as Partial<ExportRecord>
    if (value.version !== 1 || typeof value.id !== 'string' || typeof value.status !== 'string')
      return undefined
    return value as ExportRecord
  } catch {
    return undefined
  }
}
