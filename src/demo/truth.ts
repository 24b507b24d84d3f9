import { computeWorkingTime, type TimedEvent } from '../ingest/working-time.js'
import type { ClientSend, SimEvent } from './sends.js'
import type { DemoPerson } from './world.js'

/**
 * What the simulator knows about the time it generated, per (user, job):
 * - `modelMs`: the time the simulated person spent on the job (from starting on it to the end of
 *   its last event, per sitting; breaks and lunch excluded, pauses included);
 * - `cvatMs`: CVAT's working-time rule (docs/cvat-compatibility.md#working-time) applied to the
 *   batches exactly as they were sent, which is what a CVAT-compatible service must store;
 * - `idleMs`: pauses of 100 s or more inside the model's time, which CVAT's rule drops entirely.
 * Per user, `cvatMs = modelMs - idleMs` summed over jobs; per job the two also differ because
 * CVAT credits the time before an event to the job of the event before it (switching jobs, and
 * the moments between `load:cvat` and `load:job`, which land on "no job").
 */
export interface TruthRow {
  readonly userId: number
  readonly username: string
  readonly orgSlug: string
  readonly jobId: number | null
  readonly taskId: number | null
  readonly projectId: number | null
  readonly modelMs: number
  readonly cvatMs: number
  readonly idleMs: number
}

interface JobRef {
  readonly id: number
  readonly task: { readonly id: number }
  readonly project: { readonly id: number }
}

type MutableRow = { -readonly [K in keyof TruthRow]: TruthRow[K] }

export class TruthLedger {
  private readonly byKey = new Map<string, MutableRow>()

  addModel(person: DemoPerson, job: JobRef | null, ms: number): void {
    this.row(person, job?.id ?? null, job?.task.id ?? null, job?.project.id ?? null).modelMs += ms
  }

  addIdle(person: DemoPerson, job: JobRef | null, ms: number): void {
    this.row(person, job?.id ?? null, job?.task.id ?? null, job?.project.id ?? null).idleMs += ms
  }

  /** Applies CVAT's rule to one batch as sent; returns how many `send:working_time` rows it yields. */
  addBatch(send: ClientSend): number {
    const result = computeWorkingTime(send.events.map(timed), send.previous && timed(send.previous))
    for (const bucket of result.buckets) {
      const row = this.row(send.person, toId(bucket.jobId), toId(bucket.taskId), toId(bucket.projectId))
      row.cvatMs += bucket.ms
    }
    return result.buckets.length
  }

  /** Rows sorted by user id, then job id ("no job" first). */
  rows(): TruthRow[] {
    return [...this.byKey.values()].sort((a, b) => a.userId - b.userId || (a.jobId ?? -1) - (b.jobId ?? -1))
  }

  private row(person: DemoPerson, jobId: number | null, taskId: number | null, projectId: number | null) {
    const key = `${person.id}|${jobId ?? ''}`
    let row = this.byKey.get(key)
    if (!row) {
      row = {
        userId: person.id,
        username: person.username,
        orgSlug: person.orgSlug,
        jobId,
        taskId,
        projectId,
        modelMs: 0,
        cvatMs: 0,
        idleMs: 0,
      }
      this.byKey.set(key, row)
    }
    return row
  }
}

function timed(e: SimEvent): TimedEvent {
  return {
    scope: e.scope,
    timestampMs: e.timestampMs,
    duration: e.duration,
    jobId: e.jobId === null ? null : String(e.jobId),
    taskId: e.taskId === null ? null : String(e.taskId),
    projectId: e.projectId === null ? null : String(e.projectId),
  }
}

const toId = (id: string | null) => (id === null ? null : Number(id))
