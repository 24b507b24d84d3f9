import type { Store } from '../store/index.js'
import { parseRecord, type ExportRecord, type ExportStatus } from './record.js'

/**
 * Exports' records in the store, shared by every replica of the API: an export started on one
 * is known to all, whichever replica a request lands on. Every method is async, so that a store
 * that is not ready (the gate throws at once) rejects like any other failure.
 */
export class ExportRecords {
  constructor(private readonly store: Store) {}

  async save(record: ExportRecord): Promise<void> {
    await this.store.exportRecords.save({
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

  async remove(id: string): Promise<void> {
    await this.store.exportRecords.remove(id)
  }
}
