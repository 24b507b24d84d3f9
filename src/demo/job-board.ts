import type { DemoJob } from './work-items.js'

/** A job's stage and state from some moment on, as the simulated people set them. */
interface Change {
  readonly atMs: number
  readonly stage: string
  readonly state: string
}

/**
 * Where each job is in CVAT's review flow (annotation → validation → acceptance, back to
 * annotation when rejected), shared by the people of the simulation: annotators complete jobs
 * into validation and rework rejected ones, supervisors review what is in validation. Each person
 * is simulated a sitting at a time, so one may be asked about a moment another has not reached
 * yet: questions are asked "as of" a time and only see changes made by then (a change someone
 * makes later in simulated time, but earlier in the order of simulation, is not seen before it
 * happens). A change is recorded when its server event is logged.
 */
export class JobBoard {
  private readonly changes = new Map<number, Change[]>()

  /** The job's stage and state at `atMs` (CVAT's initial ones before any change). */
  at(job: DemoJob, atMs: number): { stage: string; state: string } {
    let found: Change | undefined
    for (const change of this.changes.get(job.id) ?? []) if (change.atMs <= atMs) found = change
    return found ?? { stage: 'annotation', state: 'new' }
  }

  set(job: DemoJob, atMs: number, update: { stage?: string; state?: string }): void {
    const list = this.changes.get(job.id) ?? []
    const before = this.at(job, atMs)
    list.push({ atMs, stage: update.stage ?? before.stage, state: update.state ?? before.state })
    list.sort((a, b) => a.atMs - b.atMs)
    this.changes.set(job.id, list)
  }

  /** Jobs in validation at `atMs`, waiting longest first. */
  inValidation(jobs: readonly DemoJob[], atMs: number): DemoJob[] {
    const waiting = jobs
      .map((job) => ({ job, since: this.since(job, atMs, 'validation') }))
      .filter((w): w is { job: DemoJob; since: number } => w.since !== null)
    return waiting.sort((a, b) => a.since - b.since).map((w) => w.job)
  }

  /** Of `jobs`, those sent back to annotation (rejected) at `atMs`. */
  rejected(jobs: readonly DemoJob[], atMs: number): DemoJob[] {
    return jobs.filter((job) => {
      const now = this.at(job, atMs)
      return now.stage === 'annotation' && now.state === 'rejected'
    })
  }

  /** When the job entered `stage` if it is in it at `atMs`. */
  private since(job: DemoJob, atMs: number, stage: string): number | null {
    let since: number | null = null
    for (const change of this.changes.get(job.id) ?? []) {
      if (change.atMs > atMs) break
      if (change.stage !== stage) since = null
      else since ??= change.atMs
    }
    return since
  }
}
