import { describe, expect, it } from 'vitest'
import { readClientBatch } from '../../src/ingest/client-batch.js'

/** Heartbeats (`user:activity`) are not stored as events: each rides on a stored row of its batch. */

const T0 = Date.UTC(2024, 0, 1, 12)
const identity = { userId: '5', userName: 'walt', userEmail: null, orgId: '7', orgSlug: 'acme' }
const at = (s: number) => new Date(T0 + s * 1000).toISOString()

function rows(events: Record<string, unknown>[], previous?: Record<string, unknown>) {
  const result = readClientBatch(
    { events, ...(previous ? { previous_event: previous } : {}), timestamp: at(600) },
    identity,
    { requestId: 'r', userAgent: null, remoteAddr: null, receivedAtMs: T0 + 600_000 + 5 },
    { maxEvents: 100, echo: false },
  )
  if (!result.ok) throw new Error(JSON.stringify(result.errors))
  return result.batch.records.map((r) => ({ scope: r.scope, jobId: r.jobId, heartbeats: r.heartbeats }))
}

describe('heartbeats kept on stored rows', () => {
  it('rides on the stored event before it with the same job, as offsets from that event', () => {
    expect(
      rows([
        { scope: 'change:frame', timestamp: at(0), duration: 300, count: 1, job_id: 1 },
        { scope: 'user:activity', timestamp: at(20), job_id: 1 },
        { scope: 'user:activity', timestamp: at(45), job_id: 1 },
        { scope: 'draw:object', timestamp: at(60), job_id: 1 },
      ]),
    ).toEqual([
      { scope: 'change:frame', jobId: '1', heartbeats: [20_000, 45_000] },
      { scope: 'draw:object', jobId: '1', heartbeats: undefined },
      { scope: 'send:working_time', jobId: '1', heartbeats: undefined },
    ])
  })

  it('rides on the next event of its job when none comes before, and never on another job', () => {
    expect(
      rows([
        { scope: 'load:job', timestamp: at(0), job_id: 2 },
        { scope: 'user:activity', timestamp: at(10), job_id: 1 },
        { scope: 'draw:object', timestamp: at(30), job_id: 1 },
      ]).slice(0, 2),
    ).toEqual([
      { scope: 'load:job', jobId: '2', heartbeats: undefined },
      { scope: 'draw:object', jobId: '1', heartbeats: [-20_000] },
    ])
  })

  it("rides on the batch's working-time row when the batch stored nothing else", () => {
    expect(
      rows(
        [
          { scope: 'user:activity', timestamp: at(30), job_id: 1 },
          { scope: 'user:activity', timestamp: at(60), job_id: 1 },
        ],
        { scope: 'draw:object', timestamp: at(0), job_id: 1 },
      ),
      // The row's time is the first heartbeat's (the working time it credits starts there).
    ).toEqual([{ scope: 'send:working_time', jobId: '1', heartbeats: [0, 30_000] }])
  })

  it('keeps a heartbeat named as the previous event again: its own batch may have stored nothing', () => {
    expect(
      rows([{ scope: 'draw:object', timestamp: at(40), job_id: 1 }], {
        scope: 'user:activity',
        timestamp: at(10),
        job_id: 1,
      })[0],
    ).toEqual({ scope: 'draw:object', jobId: '1', heartbeats: [-30_000] })
  })

  it('adds nothing to batches without heartbeats', () => {
    for (const row of rows([
      { scope: 'change:frame', timestamp: at(0), duration: 300, count: 1, job_id: 1 },
      { scope: 'draw:object', timestamp: at(5), job_id: 1 },
    ]))
      expect(row.heartbeats).toBeUndefined()
  })
})
