import type { Logger } from '../observability/logger.js'
import type { ExportClaims } from './claims.js'
import type { LegacyAdoption } from './legacy.js'
import { failAbandoned, RESTARTED, type FailContext } from './outcome.js'
import type { ExportStatus } from './record.js'
import type { ExportRuns } from './runs.js'

export interface ExportSweepOptions extends FailContext {
  readonly claims: ExportClaims
  readonly runs: ExportRuns
  readonly legacy: LegacyAdoption
  /** Whether the store can be asked now; while it cannot, a sweep does nothing. */
  readonly storeIsReady: () => boolean
  readonly log: Logger
}

const FINISHED: readonly ExportStatus[] = ['done', 'failed', 'expired']

/**
 * The retention sweep every replica runs now and then; each step is idempotent, so replicas
 * sweeping at once do no harm: records an older version left are adopted, running exports whose
 * replica stopped are failed, the files of exports past EXPORT_TTL_HOURS are deleted (the record
 * then says `expired`), and expired records are forgotten a TTL later.
 */
export class ExportSweep {
  constructor(private readonly options: ExportSweepOptions) {}

  /** One sweep; a failure is logged (the next sweep tries again), never thrown. */
  async sweep(): Promise<void> {
    if (!this.options.storeIsReady()) return
    try {
      await this.options.legacy.adoptOnce()
      await this.failStopped()
      await this.expire()
    } catch (error) {
      this.options.log.error('export sweep failed', { error })
    }
  }

  private async failStopped(): Promise<void> {
    const { records, claims, runs } = this.options
    for (const record of await records.list({ statuses: ['running'] })) {
      if (runs.current(record.id) || !(await claims.holderStopped(record))) continue
      await failAbandoned(
        this.options,
        record,
        claims.ranHere(record)
          ? RESTARTED
          : 'the service running this export stopped before it finished; start it again',
      )
    }
  }

  private async expire(): Promise<void> {
    const { records, files, ttlMs } = this.options
    const now = this.options.now()
    for (const record of await records.list({ statuses: FINISHED })) {
      if (record.expiresAt === null || now < record.expiresAt) continue
      if (record.status === 'expired') {
        if (now < record.expiresAt + ttlMs) continue
        await files.removeData(record)
        await records.remove(record.id)
      } else {
        record.status = 'expired'
        await files.removeData(record)
        await records.save(record)
      }
    }
  }
}
