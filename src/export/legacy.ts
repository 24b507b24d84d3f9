import { failAbandoned, RESTARTED, type FailContext } from './outcome.js'
import { parseRecord } from './record.js'

/**
 * Moves the records an older version kept as files (`<id>.json` in EXPORT_DIR) into the store,
 * once per process (no version writes them any more): finished ones stay downloadable until they
 * expire, queued ones run, and one that was running when that version stopped is failed as any
 * interrupted export is. Each file is removed once its record is in the store.
 */
export class LegacyAdoption {
  private adopted = false

  constructor(private readonly ctx: FailContext) {}

  async adoptOnce(): Promise<void> {
    if (this.adopted) return
    const { files, records } = this.ctx
    for (const legacy of await files.legacyRecords()) {
      const record = parseRecord(legacy.text)
      if (record && !(await records.load(record.id))) {
        if (record.status === 'running') await failAbandoned(this.ctx, record, RESTARTED)
        else await records.save(record)
      }
      await legacy.remove()
    }
    this.adopted = true
  }
}
