import type { Store } from '../store/index.js'
import { parseRecord, type ExportRecord, type ExportStatus } from './record.js'

/**
 * Exports' records in the store, shared by every replica of the API: an export started on one
 * is known to all, whichever replica a request lands on.
 */
export class ExportRecords {
  constructor(private readonly store: Store) {}

  save(record: ExportRecord): Promise<void> {
    return this.store.exportRecords.save({
      id: record.id,
      ownerId: record.owner.userId,
      key: record.key,
      status: record.status,
      document: JSON.stringify(record),
    })
  }

  async load(id: string): Promise<ExportRecord | undefined> {
    const document = await this.store.exportRecords.load(id)
    return document === undefined ? undefined : parseRecord(document)
  }

  /** Records by status (and owner and key), oldest first. */
  async list(selection: {
    statuses: readonly ExportStatus[]
    ownerId?: string
    key?: string
  }): Promise<ExportRecord[]> {
    const documents = await this.store.exportRecords.list(selection)
    return documents.flatMap((document) => parseRecord(document) ?? [])
  }

  remove(id: string): Promise<void> {
    return this.store.exportRecords.remove(id)
  }
}
