import { readdir, readFile, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import lockfile from 'proper-lockfile'
import { ensurePrivateDir, PRIVATE_FILE_MODE } from '../files/private-files.js'
import type { ExportRecord } from './record.js'
import { FORMATS } from './formats.js'

/** Releases a claim; resolves once the claim is gone from the folder. */
export type ReleaseClaim = () => Promise<void>

/**
 * The export folder (EXPORT_DIR), shared by every replica of the API: per export
 * `<id>.<ext>.part` while it is written, `<id>.<ext>` once done, and `<id>.lock` while a replica
 * runs it (its claim). Records live in the store (src/export/record-store.ts).
 *
 * A claim is a directory created with mkdir (proper-lockfile), which succeeds for exactly one
 * caller on a local disk and on NFS alike, renewed (its mtime) while the export runs: a claim not
 * renewed for `staleMs` belongs to a replica that stopped. ClickHouse was the other place to
 * claim in, but it has no compare-and-set: "insert a claim, read back the first" is only safe with
 * quorum inserts and sequentially consistent reads on a replicated cluster, while the files need
 * this shared folder anyway.
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

  /**
   * Fails (ENOSPC, EACCES, ENOTDIR…) unless a file can be written in the folder: checked before
   * an export is accepted, so that one this replica could not write is refused at once.
   */
  async check(): Promise<void> {
    const probe = path.join(this.dir, `.probe-${process.pid}-${Date.now()}`)
    await writeFile(probe, 'ok', { mode: PRIVATE_FILE_MODE })
    await rm(probe, { force: true })
  }

  /**
   * Claims the export for this replica; null when another replica holds a live claim. `onLost`
   * is called if the claim could not be renewed in time (another replica may then take it over).
   */
  async claim(id: string, staleMs: number, onLost: (error: Error) => void): Promise<ReleaseClaim | null> {
    try {
      return await lockfile.lock(this.claimPath(id), {
        realpath: false,
        stale: staleMs,
        update: Math.max(1000, Math.floor(staleMs / 3)),
        retries: 0,
        onCompromised: onLost,
      })
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ELOCKED') return null
      throw error
    }
  }

  /** True while some replica holds a claim it renewed within `staleMs`. */
  isClaimed(id: string, staleMs: number): Promise<boolean> {
    return lockfile.check(this.claimPath(id), { realpath: false, stale: staleMs })
  }

  /** Deletes the export's file (done or partial); the record stays. */
  async removeData(record: Pick<ExportRecord, 'id' | 'format'>): Promise<void> {
    await rm(this.dataPath(record), { force: true })
    await rm(this.partPath(record), { force: true })
  }

  /**
   * Records that earlier versions kept beside the files (`<id>.json`), to be moved into the
   * store: without them an upgrade would forget finished exports and never delete their files.
   */
  async legacyRecords(): Promise<{ text: string; remove: () => Promise<void> }[]> {
    const names = (await readdir(this.dir)).filter((name) => name.endsWith('.json'))
    return Promise.all(
      names.map(async (name) => {
        const file = path.join(this.dir, name)
        return { text: await readFile(file, 'utf8'), remove: () => rm(file, { force: true }) }
      }),
    )
  }

  /** Deletes a claim left by a replica that stopped. */
  async removeClaim(id: string): Promise<void> {
    await rm(`${this.claimPath(id)}.lock`, { recursive: true, force: true })
  }

  private claimPath(id: string): string {
    return path.join(this.dir, id)
  }
}
