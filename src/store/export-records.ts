import type { Engine } from './engine.js'

/**
 * An export's record as the store keeps it: the fields reads select on, and the whole record as
 * JSON (its shape is the export service's, src/export/record.ts).
 */
export interface ExportRecordRow {
  readonly id: string
  readonly ownerId: string
  /** Identical in-flight requests of one owner share one export. */
  readonly key: string
  readonly status: string
  readonly document: string
}

/** Which records to list; every given field must match. */
export interface ExportRecordSelection {
  readonly statuses?: readonly string[]
  readonly ownerId?: string
  readonly key?: string
}

/** A record's last version says this when it is forgotten: it hides every earlier one. */
const FORGOTTEN = 'forgotten'

let lastVersion = 0

/**
 * Versions order the changes of one record (the highest is its current state): microseconds of
 * the wall clock, strictly increasing within a process. Changes of one record from different
 * API replicas are seconds apart (the runner's progress, another's sweep), far more than their
 * clocks differ.
 */
function nextVersion(): number {
  lastVersion = Math.max(Date.now() * 1000, lastVersion + 1)
  return lastVersion
}

/** Records the current state of an export (a new version of its row). */
export async function saveExportRecord(engine: Engine, row: ExportRecordRow): Promise<void> {
  await engine.command({
    name: 'exports.save_record',
    sql: `INSERT INTO ${engine.database}.export_records (id, owner_id, dedup_key, status, document, version)
          VALUES ({id:String}, {owner:String}, {key:String}, {status:String}, {document:String}, {version:UInt64})`,
    params: {
      id: row.id,
      owner: row.ownerId,
      key: row.key,
      status: row.status,
      document: row.document,
      version: nextVersion(),
    },
  })
}

/** The current state of one export; undefined when it never existed or was forgotten. */
export async function loadExportRecord(engine: Engine, id: string): Promise<string | undefined> {
  // The key filters before FINAL merges the versions; the status is the latest version's.
  const [row] = await engine.rows<{ document: string; status: string }>({
    name: 'exports.load_record',
    sql: `SELECT document, status FROM ${engine.database}.export_records FINAL WHERE id = {id:String}`,
    params: { id },
  })
  return row === undefined || row.status === FORGOTTEN ? undefined : row.document
}

/** The current state of every export the selection matches, oldest first. */
export async function listExportRecords(engine: Engine, selection: ExportRecordSelection): Promise<string[]> {
  const where: string[] = [`status != '${FORGOTTEN}'`]
  if (selection.statuses) where.push('status IN {statuses:Array(String)}')
  if (selection.ownerId !== undefined) where.push('owner_id = {owner:String}')
  if (selection.key !== undefined) where.push('dedup_key = {key:String}')
  // FINAL first, then the filter: a record matches by its latest version only.
  const rows = await engine.rows<{ document: string }>({
    name: 'exports.list_records',
    sql: `SELECT document FROM (SELECT * FROM ${engine.database}.export_records FINAL)
          WHERE ${where.join(' AND ')} ORDER BY version`,
    params: {
      ...(selection.statuses ? { statuses: [...selection.statuses] } : {}),
      ...(selection.ownerId !== undefined ? { owner: selection.ownerId } : {}),
      ...(selection.key !== undefined ? { key: selection.key } : {}),
    },
  })
  return rows.map((r) => r.document)
}

/** Forgets an export. */
export async function deleteExportRecord(engine: Engine, id: string): Promise<void> {
  await engine.command({
    name: 'exports.delete_record',
    sql: `INSERT INTO ${engine.database}.export_records (id, owner_id, dedup_key, status, document, version)
          VALUES ({id:String}, '', '', '${FORGOTTEN}', '', {version:UInt64})`,
    params: { id, version: nextVersion() },
  })
}
