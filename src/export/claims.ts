import { randomUUID } from 'node:crypto'
import { hostname } from 'node:os'
import type { ExportRecord, ExportRunner } from './record.js'
import type { ExportFiles, ReleaseClaim } from './record-files.js'
import type { ExportRecords } from './record-store.js'

/** A queued export this replica now holds: run it, then release the claim. */
export interface ClaimedExport {
  readonly record: ExportRecord
  readonly release: ReleaseClaim
}

/**
 * Claims across the replicas sharing EXPORT_DIR: which replica runs a queued export (the first
 * to claim it), and whether the replica of a running export is gone (a previous process on this
 * host, or a claim not renewed for `staleMs`).
 */
export class ExportClaims {
  /** This replica, as recorded on the exports it runs. */
  readonly self: ExportRunner = { host: hostname(), pid: process.pid, instance: randomUUID() }

  constructor(
    private readonly files: ExportFiles,
    private readonly records: ExportRecords,
    private readonly staleMs: number,
  ) {}

  /**
   * Claims a queued export; null when another replica holds it or ran it meanwhile. `onLost`
   * is called if the claim could not be renewed in time (another replica may then take it over).
   */
  async take(id: string, onLost: (error: Error) => void): Promise<ClaimedExport | null> {
    const release = await this.files.claim(id, this.staleMs, onLost)
    if (!release) return null
    // Claimed: unless another replica ran it to the end meanwhile, it is ours to run.
    const record = await this.records.load(id)
    if (record?.status !== 'queued') {
      await release()
      return null
    }
    return { record, release }
  }

  /** Whether a running export's replica is gone: a previous process on this host, or a stale claim. */
  async holderStopped(record: ExportRecord): Promise<boolean> {
    const runner = record.runner
    if (runner && runner.host === this.self.host && runner.instance !== this.self.instance) {
      if (runner.pid === process.pid || !processAlive(runner.pid)) return true
    }
    return !(await this.files.isClaimed(record.id, this.staleMs))
  }

  /** Whether the export ran on this host (so its replica restarted, rather than stopped elsewhere). */
  ranHere(record: ExportRecord): boolean {
    return record.runner?.host === this.self.host
  }
}

/** Whether a process of this host still runs (EPERM: it does, as another user). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
