/**
 * What the simulator did to each job, for `--print-truth` and the tests: when it created the job,
 * each stage and state it set (the update:job rows it logged), the working time CVAT's rule gives
 * on the job (per batch bucket, at the bucket's time), and the verdicts its reviewers made.
 */
export interface JobTruth {
  readonly jobId: number
  readonly taskId: number | null
  readonly projectId: number | null
  readonly orgSlug: string | null
  /** Wall-clock milliseconds in each stage from the job's creation to the end of the window. */
  readonly stageMs: { annotation: number; validation: number; acceptance: number }
  readonly inProgressMs: number
  /** Reviews that sent the job back, and that accepted it. */
  readonly rejections: number
  readonly acceptances: number
  readonly firstValidationMs: number | null
  /** When it entered acceptance, if it is there at the end of the window. */
  readonly acceptedMs: number | null
  readonly cycleMs: number | null
  /** CVAT's working time on the job while it was in each stage. */
  readonly workingMsIn: { annotation: number; validation: number; acceptance: number }
}

interface JobRecord {
  readonly jobId: number
  taskId: number | null
  projectId: number | null
  orgSlug: string | null
  createdMs: number | null
  readonly changes: { atMs: number; field: 'stage' | 'state'; value: string }[]
  readonly workingTime: { atMs: number; ms: number }[]
  rejections: number
  acceptances: number
}

export interface JobTruthLedger {
  readonly jobs: Map<number, JobRecord>
}

type Stage = 'annotation' | 'validation' | 'acceptance'

/** Each job's truth: its stages replayed in time order from its creation. */
export function jobTruths(ledger: JobTruthLedger, endMs: number): JobTruth[] {
  const out: JobTruth[] = []
  for (const job of [...ledger.jobs.values()].sort((a, b) => a.jobId - b.jobId)) {
    if (job.createdMs === null) continue
    const changes = job.changes.filter((c) => c.atMs <= endMs).sort((a, b) => a.atMs - b.atMs)
    // The stage in force at each moment: [from, stage] intervals.
    const stages: { fromMs: number; stage: string }[] = [{ fromMs: job.createdMs, stage: 'annotation' }]
    const states: { fromMs: number; state: string }[] = [{ fromMs: job.createdMs, state: 'new' }]
    for (const c of changes) {
      if (c.field === 'stage') stages.push({ fromMs: c.atMs, stage: c.value })
      else states.push({ fromMs: c.atMs, state: c.value })
    }
    const stageMs = { annotation: 0, validation: 0, acceptance: 0 }
    stages.forEach((s, i) => {
      const until = stages[i + 1]?.fromMs ?? endMs
      if (s.stage in stageMs) stageMs[s.stage as Stage] += until - s.fromMs
    })
    let inProgressMs = 0
    states.forEach((s, i) => {
      if (s.state === 'in progress') inProgressMs += (states[i + 1]?.fromMs ?? endMs) - s.fromMs
    })
    const stageAt = (ms: number) => stages.filter((s) => s.fromMs <= ms).at(-1)?.stage ?? 'annotation'
    const workingMsIn = { annotation: 0, validation: 0, acceptance: 0 }
    for (const w of job.workingTime) {
      if (w.atMs > endMs) continue
      const stage = stageAt(w.atMs)
      if (stage in workingMsIn) workingMsIn[stage as Stage] += w.ms
    }
    const last = stages.at(-1) as { fromMs: number; stage: string }
    const acceptedMs = last.stage === 'acceptance' ? last.fromMs : null
    out.push({
      jobId: job.jobId,
      taskId: job.taskId,
      projectId: job.projectId,
      orgSlug: job.orgSlug,
      stageMs,
      inProgressMs,
      rejections: job.rejections,
      acceptances: job.acceptances,
      firstValidationMs: stages.find((s) => s.stage === 'validation')?.fromMs ?? null,
      acceptedMs,
      cycleMs: acceptedMs === null ? null : acceptedMs - job.createdMs,
      workingMsIn,
    })
  }
  return out
}
