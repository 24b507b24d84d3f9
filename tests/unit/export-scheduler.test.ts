import { describe, expect, it } from 'vitest'
import type { ExportClaims } from '../../src/export/claims.js'
import type { ExportRecord } from '../../src/export/record.js'
import type { ExportRecords } from '../../src/export/record-store.js'
import type { ExportRuns } from '../../src/export/runs.js'
import { ExportScheduler } from '../../src/export/scheduler.js'
import { silentLogger } from '../../src/observability/logger.js'

/** A queued record, as far as the scheduler reads it. */
const queued = { id: 'e1', owner: { userId: '7' } } as unknown as ExportRecord

/** A scheduler whose store answers `list` only when `answer` is called (a hung store until then). */
function withHungStore() {
  let answer!: () => void
  let fail!: (error: Error) => void
  const listed = new Promise<void>((resolve, reject) => {
    answer = resolve
    fail = reject
  })
  const logged: { level: string; message: string }[] = []
  const log = {
    ...silentLogger,
    error: (message: string) => void logged.push({ level: 'error', message }),
    info: (message: string) => void logged.push({ level: 'info', message }),
  }
  const taken: string[] = []
  const begun: string[] = []
  const records = {
    list: async ({ statuses }: { statuses: readonly string[] }) => {
      await listed
      return statuses.includes('queued') ? [queued] : []
    },
  } as unknown as ExportRecords
  const claims = {
    take: async (id: string) => {
      taken.push(id)
      return { record: queued, release: async () => void taken.splice(taken.indexOf(id), 1) }
    },
  } as unknown as ExportClaims
  const runs = {
    size: 0,
    begin: async (claimed: { record: ExportRecord }) => void begun.push(claimed.record.id),
  }
  const scheduler = new ExportScheduler({
    records,
    claims,
    runs: runs as unknown as ExportRuns,
    concurrency: 2,
    userConcurrency: 1,
    storeIsReady: () => true,
    log,
  })
  return { scheduler, answer, fail, taken, begun, logged }
}

describe('ExportScheduler.close', () => {
  it('does not wait on a pass that waits on a hung store, and that pass then starts nothing', async () => {
    const { scheduler, answer, taken, begun } = withHungStore()
    const pass = scheduler.schedule()
    // Resolves on the scheduler's own bound while the store has not answered (without it, this
    // waits for ever and the test times out).
    await scheduler.close()
    answer()
    await pass
    expect(begun).toEqual([])
    expect(taken).toEqual([])
  })

  it('logs a pass that the store fails after close as the stop it is, not as an error', async () => {
    const { scheduler, fail, logged } = withHungStore()
    const pass = scheduler.schedule()
    await scheduler.close()
    fail(new Error('the store is closed'))
    await pass
    expect(logged).toEqual([{ level: 'info', message: 'export scheduling ended with the service' }])
  })

  it('logs a pass that the store fails while open as an error', async () => {
    const { scheduler, fail, logged } = withHungStore()
    const pass = scheduler.schedule()
    fail(new Error('the store broke'))
    await pass
    expect(logged).toEqual([{ level: 'error', message: 'export scheduling failed' }])
    await scheduler.close()
  })

  it('runs what it claims while open', async () => {
    const { scheduler, answer, begun } = withHungStore()
    answer()
    await scheduler.schedule()
    expect(begun).toEqual(['e1'])
    await scheduler.close()
  })
})
