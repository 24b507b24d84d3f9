import { computeWorkingTime, type TimedEvent } from '../ingest/working-time.js'
import { jobTruths, type JobTruth, type JobTruthLedger } from './job-truth.js'
import type { ClientSend, ServerSend, SimEvent } from './sends.js'
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
  /** Objects this person's saves created by hand (requests that were no import and no model run). */
  readonly manualObjects: number
  /** Objects created by this person's imports (`import:dataset`) and model runs (`call:function`). */
  readonly importedObjects: number
  readonly automaticObjects: number
  readonly objectsUpdated: number
  readonly objectsDeleted: number
  /** Sums of `count` of this person's action:undo and action:redo. */
  readonly undo: number
  readonly redo: number
}

interface JobRef {
  readonly id: number
  readonly task: { readonly id: number }
  readonly project: { readonly id: number }
}

type MutableRow = { -readonly [K in keyof TruthRow]: TruthRow[K] }

export class TruthLedger {
  private readonly byKey = new Map<string, MutableRow>()
  private readonly jobLedger: JobTruthLedger = { jobs: new Map() }

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
      const jobId = toId(bucket.jobId)
      if (jobId !== null) this.job(jobId).workingTime.push({ atMs: bucket.timestampMs, ms: bucket.ms })
    }
    for (const e of send.events) {
      if (e.scope !== 'action:undo' && e.scope !== 'action:redo') continue
      const row = this.row(send.person, e.jobId, e.taskId, e.projectId)
      if (e.scope === 'action:undo') row.undo += e.count ?? 0
      else row.redo += e.count ?? 0
    }
    return result.buckets.length
  }

  /**
   * Reads what a server request did: objects saved, imported or made by a model (by request:
   * the rows of an import or a model run share its id), and the jobs' creation and changes.
   */
  addServer(send: ServerSend): void {
    const kinds = new Set(send.rows.map((r) => r.scope as string))
    const origin = kinds.has('import:dataset')
      ? 'imported'
      : kinds.has('call:function')
        ? 'automatic'
        : 'manual'
    for (const r of send.rows) {
      const scope = r.scope as string
      const jobId = (r.job_id as number | null) ?? null
      const atMs = Math.round(Number(r.timestamp) * 1000)
      const [action, kind] = scope.split(':')
      if (kind === 'tags' || kind === 'shapes' || kind === 'tracks') {
        const row = this.rowOf(r, jobId)
        const count = Number(r.count ?? 0)
        if (action === 'create') {
          if (origin === 'imported') row.importedObjects += count
          else if (origin === 'automatic') row.automaticObjects += count
          else row.manualObjects += count
        } else if (action === 'update') row.objectsUpdated += count
        else if (action === 'delete') row.objectsDeleted += count
      }
      if (jobId === null) continue
      if (scope === 'create:job') {
        const job = this.job(jobId)
        job.createdMs = Math.min(job.createdMs ?? atMs, atMs)
        job.taskId = (r.task_id as number | null) ?? null
        job.projectId = (r.project_id as number | null) ?? null
        job.orgSlug = (r.org_slug as string | null) ?? null
      }
      if (scope === 'update:job' && (r.obj_name === 'stage' || r.obj_name === 'state')) {
        this.job(jobId).changes.push({ atMs, field: r.obj_name, value: String(r.obj_val) })
      }
    }
  }

  /** A reviewer's decision about a job in validation, as the simulator made it. */
  addVerdict(job: JobRef, rejected: boolean): void {
    const truth = this.job(job.id)
    if (rejected) truth.rejections++
    else truth.acceptances++
  }

  /** Per job: stage hours, rejections, acceptance and working time per stage, up to `endMs`. */
  jobs(endMs: number): JobTruth[] {
    return jobTruths(this.jobLedger, endMs)
  }

  private job(jobId: number) {
    let job = this.jobLedger.jobs.get(jobId)
    if (!job) {
      job = {
        jobId,
        taskId: null,
        projectId: null,
        orgSlug: null,
        createdMs: null,
        changes: [],
        workingTime: [],
        rejections: 0,
        acceptances: 0,
      }
      this.jobLedger.jobs.set(jobId, job)
    }
    return job
  }

  private rowOf(r: Record<string, unknown>, jobId: number | null): MutableRow {
    const person = {
      id: r.user_id as number,
      username: r.user_name as string,
      orgSlug: r.org_slug as string,
    } as DemoPerson
    return this.row(
      person,
      jobId,
      (r.task_id as number | null) ?? null,
      (r.project_id as number | null) ?? null,
    )
  }

  /** Rows sorted by user id, then job id ("no job" first). */
  rows(): TruthRow[] {
    return [...this.byKey.values()].sort((a, b) => a.userId - b.userId || (a.jobId ?? -1) - (b.jobId ?? -1))
  }

  private row(
    person: Pick<DemoPerson, 'id' | 'username' | 'orgSlug'>,
    jobId: number | null,
    taskId: number | null,
    projectId: number | null,
  ) {
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
        manualObjects: 0,
        importedObjects: 0,
        automaticObjects: 0,
        objectsUpdated: 0,
        objectsDeleted: 0,
        undo: 0,
        redo: 0,
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
