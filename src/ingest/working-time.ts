/**
 * CVAT's working-time rule for one client batch (docs/cvat-compatibility.md#working-time), kept
 * exact so our numbers match CVAT's: walk the events in order; a gap since the previous end counts only when shorter than 100 s
 * (a longer one counts nothing, it is not capped); `change:frame` extends the end by its duration;
 * time is credited to the job/task/project of the event *before* (time before an event belongs to
 * what the user was doing until then).
 */

export const IDLE_THRESHOLD_MS = 100_000
const EXTENDED_SCOPES = new Set(['change:frame'])

export interface TimedEvent {
  readonly scope: string
  readonly timestampMs: number
  readonly duration: number
  readonly jobId: string | null
  readonly taskId: string | null
  readonly projectId: string | null
}

export interface WorkingTimeBucket {
  readonly jobId: string | null
  readonly taskId: string | null
  readonly projectId: string | null
  /** Milliseconds credited to this (job, task, project). */
  readonly ms: number
  /** Time of the event that first credited this bucket: the `send:working_time` event's time. */
  readonly timestampMs: number
}

export interface WorkingTimeResult {
  /** Time credited at each event, in batch order. */
  readonly perEventMs: readonly number[]
  /** Buckets with non-zero time, in the order they were first credited. */
  readonly buckets: readonly WorkingTimeBucket[]
}

const endOf = (e: TimedEvent) => (EXTENDED_SCOPES.has(e.scope) ? e.timestampMs + e.duration : e.timestampMs)
const keyOf = (e: TimedEvent) => `${e.jobId}|${e.taskId}|${e.projectId}`

export function computeWorkingTime(
  events: readonly TimedEvent[],
  previous?: TimedEvent | null,
): WorkingTimeResult {
  const first = events[0]
  if (first === undefined) return { perEventMs: [], buckets: [] }
  const start = previous ?? first
  let previousEnd = previous ? endOf(previous) : first.timestampMs
  let context = start
  const perEventMs: number[] = []
  const buckets = new Map<string, { ids: TimedEvent; ms: number; timestampMs: number }>()

  for (const event of events) {
    let credit = 0
    if (event.timestampMs > previousEnd) {
      const gap = event.timestampMs - previousEnd
      if (gap < IDLE_THRESHOLD_MS) credit += gap
      previousEnd = event.timestampMs
    }
    const end = endOf(event)
    if (end > previousEnd) {
      credit += end - previousEnd
      previousEnd = end
    }
    const key = keyOf(context)
    const bucket = buckets.get(key) ?? { ids: context, ms: 0, timestampMs: event.timestampMs }
    bucket.ms += credit
    buckets.set(key, bucket)
    perEventMs.push(credit)
    context = event
  }

  return {
    perEventMs,
    buckets: [...buckets.values()]
      .filter((b) => b.ms > 0)
      .map((b) => ({
        jobId: b.ids.jobId,
        taskId: b.ids.taskId,
        projectId: b.ids.projectId,
        ms: b.ms,
        timestampMs: b.timestampMs,
      })),
  }
}
