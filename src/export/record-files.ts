import { readdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { Logger } from '../logger.js'
import { ensurePrivateDir, PRIVATE_FILE_MODE } from '../private-files.js'
import { FORMATS } from './formats.js'
import { parseRecord, type ExportRecord } from './record.js'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/**
 * The export directory: per export `<id>.json` (its record), `<id>.<ext>.part` while it is
 * written, `<id>.<ext>` once done. Records are replaced atomically (write, then rename), so a
 * crash leaves the previous record or the new one, never half of one.
 */
export class ExportFiles {
  private constructor(readonly dir: string) {}

  static async open(dir: string): Promise<ExportFiles> {
    await ensurePrivateDir(dir)
    return new ExportFiles(dir)
  }

  dataPath(record: Pick<ExportRecord, 'id' | 'format'>): string {
    return path.join(this.dir, `${record.id}.${FORMATS[record.format].extension}`)
  }

  partPath(record: Pick<ExportRecord, 'id' | 'format'>): string {
    return `${this.dataPath(record)}.part`
  }

  async save(record: ExportRecord): Promise<void> {
    const target = path.join(this.dir, `${record.id}.json`)
    const temporary = `${target}.tmp`
    await writeFile(temporary, `${JSON.stringify(record)}\n`, { mode: PRIVATE_FILE_MODE })
    await rename(temporary, target)
  }

  /** Every record in the directory; unreadable ones are logged and skipped. */
  async loadAll(log: Logger): Promise<ExportRecord[]> {
    const records: ExportRecord[] = []
    for (const name of await readdir(this.dir)) {
      if (!name.endsWith('.json') || !UUID.test(name.slice(0, -'.json'.length))) continue
      const record = parseRecord(await readFile(path.join(this.dir, name), 'utf8'))
      if (record) records.push(record)
      else log.warn('skipping an unreadable export record', { file: path.join(this.dir, name) })
    }
    return records
  }

  /** Deletes the export's file (done or partial); the record stays. */
  async removeData(record: ExportRecord): Promise<void> {
    await rm(this.dataPath(record), { force: true })
    await rm(this.partPath(record), { force: true })
  }

  /** Deletes everything of the export, record included. */
  async removeAll(record: ExportRecord): Promise<void> {
    await this.removeData(record)
    await rm(path.join(this.dir, `${record.id}.json`), { force: true })
  }
}
