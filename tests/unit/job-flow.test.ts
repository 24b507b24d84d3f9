import { describe, expect, it } from 'vitest'
import { buildJobFlow, type JobFlowEvent } from '../../src/domain/job-flow.js'

const H = 3_600_000
const ids = { jobId: '9', taskId: '3', projectId: '1' }
let request = 0
const change = (
  atMs: number,
  field: 'stage' | 'state' | 'assignee',
  value: string | null,
  valueId?: string,
) =>
  ({
    atMs,
    kind: 'field',
    field,
    value,
    valueId: valueId ?? null,
    userId: '2',
    requestId: `r${request++}`,
  }) as JobFlowEvent
const work = (atMs: number, ms: number): JobFlowEvent => ({
  atMs,
  kind: 'working_time',
  ms,
  userId: '5',
  requestId: `w${atMs}`,
})
const created = (atMs: number): JobFlowEvent => ({ atMs, kind: 'other', userId: '1', requestId: 'c' })

describe('job flow', () => {
  it('measures stages, progress, the review and acceptance from the first event', () => {
    const flow = buildJobFlow(
      ids,
      [
        created(0),
        change(0, 'assignee', "{'id': 5}", '5'),
        change(1 * H, 'state', 'in progress'),
        work(2 * H, 1_000),
        change(4 * H, 'stage', 'validation'),
        change(4 * H, 'state', 'completed'),
        work(5 * H, 500),
        change(6 * H, 'stage', 'acceptance'),
      ],
      10 * H,
    )
    expect(flow).toMatchObject({
      stage: 'acceptance',
      state: 'completed',
      assigneeId: '5',
      msIn: { annotation: 4 * H, validation: 2 * H, acceptance: 4 * H },
      inProgressMs: 3 * H,
      rejections: 0,
      firstValidationMs: 4 * H,
      acceptedMs: 6 * H,
      cycleMs: 6 * H,
      workingMsIn: { annotation: 1_000, validation: 500, acceptance: 0 },
    })
    expect(flow.transitions.map((t) => [t.field, t.from, t.to])).toEqual([
      ['assignee', null, '5'],
      ['state', 'new', 'in progress'],
      ['stage', 'annotation', 'validation'],
      ['state', 'in progress', 'completed'],
      ['stage', 'validation', 'acceptance'],
    ])
  })

  it('counts a rejection once per review, whether by stage, by state or both', () => {
    const flow = buildJobFlow(
      ids,
      [
        created(0),
        change(1 * H, 'stage', 'validation'),
        // CVAT's reject: stage back to annotation and state rejected, one review.
        change(2 * H, 'stage', 'annotation'),
        change(2 * H, 'state', 'rejected'),
        change(3 * H, 'stage', 'validation'),
        // Rejected by state only, then sent back by stage in the same review.
        change(4 * H, 'state', 'rejected'),
        change(4.5 * H, 'stage', 'annotation'),
        change(5 * H, 'stage', 'validation'),
        change(6 * H, 'stage', 'acceptance'),
        // Accepted, then sent back: no longer accepted.
        change(7 * H, 'stage', 'annotation'),
      ],
      8 * H,
    )
    expect(flow.rejections).toBe(3)
    expect(flow.acceptedMs).toBeNull()
    expect(flow.cycleMs).toBeNull()
    expect(flow.firstValidationMs).toBe(1 * H)
    expect(flow.msIn).toEqual({
      annotation: 1 * H + 1 * H + 0.5 * H + 1 * H,
      validation: 1 * H + 1.5 * H + 1 * H,
      acceptance: 1 * H,
    })
  })

  it('keeps the open stage up to the end of the range and ignores events after it', () => {
    const flow = buildJobFlow(
      ids,
      [created(0), change(2 * H, 'stage', 'validation'), change(9 * H, 'stage', 'acceptance')],
      5 * H,
    )
    expect(flow.msIn).toEqual({ annotation: 2 * H, validation: 3 * H, acceptance: 0 })
    expect(flow.stage).toBe('validation')
  })

  it('reads an assignee without obj_id from a value that is an id, and unassignment as null', () => {
    const flow = buildJobFlow(ids, [change(0, 'assignee', '17'), change(H, 'assignee', 'None')], 2 * H)
    expect(flow.transitions.map((t) => t.to)).toEqual(['17', null])
    expect(flow.assigneeId).toBeNull()
  })
})
