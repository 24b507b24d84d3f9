import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { computeWorkingTime, type TimedEvent } from '../../src/ingest/working-time.js'

interface CaseEvent {
  scope: string
  t: number
  duration?: number
  job_id: number
}
interface Case {
  name: string
  previous_event?: CaseEvent
  events: CaseEvent[]
  expected_per_event_ms: number[]
  expected_total_ms: number
}

// CVAT's own unit cases for its working-time rule (docs/cvat-compatibility.md#working-time), as data.
const cases = (
  JSON.parse(readFileSync(new URL('../fixtures/working-time-cases.json', import.meta.url), 'utf8')) as {
    cases: Case[]
  }
).cases
const ORIGIN = Date.UTC(2024, 0, 1, 12)

const timed = (e: CaseEvent): TimedEvent => ({
  scope: e.scope,
  timestampMs: ORIGIN + e.t,
  duration: e.duration ?? 0,
  jobId: String(e.job_id),
  taskId: null,
  projectId: null,
})

describe('working time (CVAT cases)', () => {
  it('covers every case of the spec table', () => {
    expect(cases.length).toBeGreaterThanOrEqual(14)
  })

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const result = computeWorkingTime(c.events.map(timed), c.previous_event ? timed(c.previous_event) : null)
    expect(result.perEventMs).toEqual(c.expected_per_event_ms)
    const total = result.buckets.reduce((sum, b) => sum + b.ms, 0)
    expect(total).toBe(c.expected_total_ms)
  })
})

describe('working time attribution', () => {
  const at = (t: number, job: string | null, scope = 'draw:object', duration = 0): TimedEvent => ({
    scope,
    timestampMs: ORIGIN + t,
    duration,
    jobId: job,
    taskId: job === null ? null : `task-of-${job}`,
    projectId: null,
  })

  it('credits time before an event to the job of the event before it', () => {
    const result = computeWorkingTime([at(0, '1'), at(10_000, '1'), at(30_000, '2'), at(35_000, '2')])
    expect(result.buckets).toEqual([
      { jobId: '1', taskId: 'task-of-1', projectId: null, ms: 30_000, timestampMs: ORIGIN },
      { jobId: '2', taskId: 'task-of-2', projectId: null, ms: 5_000, timestampMs: ORIGIN + 35_000 },
    ])
  })

  it('keeps time spent outside any job in a bucket without ids', () => {
    const result = computeWorkingTime([at(0, null), at(20_000, '1'), at(25_000, '1')])
    expect(result.buckets.map((b) => [b.jobId, b.ms])).toEqual([
      [null, 20_000],
      ['1', 5_000],
    ])
  })

  it('starts from the previous event context when one is given', () => {
    const result = computeWorkingTime([at(30_000, '2')], at(0, '1'))
    expect(result.buckets).toEqual([
      { jobId: '1', taskId: 'task-of-1', projectId: null, ms: 30_000, timestampMs: ORIGIN + 30_000 },
    ])
  })

  it('drops a long gap entirely rather than capping it', () => {
    const result = computeWorkingTime([at(0, '1'), at(250_000, '1'), at(260_000, '1')])
    expect(result.perEventMs).toEqual([0, 0, 10_000])
  })

  it('returns nothing for an empty batch', () => {
    expect(computeWorkingTime([])).toEqual({ perEventMs: [], buckets: [] })
  })
})
