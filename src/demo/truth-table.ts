import type { JobTruth } from './job-truth.js'
import type { TruthRow } from './truth.js'

/** `12:03:04`: hours may exceed 24. */
export function hms(ms: number): string {
  const sign = ms < 0 ? '-' : ''
  const total = Math.round(Math.abs(ms) / 1000)
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = total % 60
  return `${sign}${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`
}

/**
 * The truth as a text table: one line per (user, job), a total per user, and a note on why the
 * columns differ. `cvat` is what a CVAT-compatible service stores (sum of `send:working_time`).
 */
export function formatTruth(rows: readonly TruthRow[]): string {
  const header = [
    'user',
    'org',
    'job',
    'task',
    'project',
    'model',
    'CVAT rule',
    'idle >=100s',
    'CVAT - model',
    'manual',
    'imported',
    'automatic',
    'updated',
    'deleted',
    'undo',
    'redo',
  ]
  const lines: string[][] = [header]
  const byUser = new Map<number, TruthRow[]>()
  for (const row of rows) byUser.set(row.userId, [...(byUser.get(row.userId) ?? []), row])
  for (const userRows of byUser.values()) {
    for (const r of userRows) lines.push(cells(r.username, r.orgSlug, r.jobId, r.taskId, r.projectId, r))
    const first = userRows[0] as TruthRow
    const sum = (key: Exclude<keyof Counts, never>) => userRows.reduce((a, r) => a + r[key], 0)
    const total = Object.fromEntries(COUNTS.map((k) => [k, sum(k)])) as unknown as Counts
    lines.push(cells(`${first.username} (total)`, first.orgSlug, null, null, null, total))
  }
  const widths = header.map((_, i) => Math.max(...lines.map((l) => (l[i] ?? '').length)))
  const text = lines.map((l) =>
    l.map((c, i) => (i < 5 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  '),
  )
  return [
    ...text,
    '',
    'model: time each person spent on the job (pauses included, breaks and lunch not). CVAT rule: the',
    'working time CVAT computes from the batches as sent, which the service stores as send:working_time.',
    'Per user, CVAT rule = model - idle: CVAT drops every pause of 100 s or more whole. Per job they also',
    'differ because CVAT credits the time before an event to the job of the event before it (switching',
    "jobs, and the moments between load:cvat and load:job, which land on 'no job'). manual: objects",
    'created by the saves of the person (imported: by their dataset imports, automatic: by their model',
    'runs, told apart by request id); updated and deleted objects of their saves; undo and redo counts.',
  ].join('\n')
}

/** The jobs: stage hours from creation to the end of the window, review verdicts, working time per stage. */
export function formatJobTruth(jobs: readonly JobTruth[]): string {
  const header = [
    'job',
    'task',
    'org',
    'annotation',
    'validation',
    'acceptance',
    'in progress',
    'rejections',
    'accepted',
    'cycle',
    'work in annotation',
    'work in validation',
    'work in acceptance',
  ]
  const lines = [
    header,
    ...jobs.map((j) => [
      String(j.jobId),
      j.taskId === null ? '-' : String(j.taskId),
      j.orgSlug ?? '-',
      hms(j.stageMs.annotation),
      hms(j.stageMs.validation),
      hms(j.stageMs.acceptance),
      hms(j.inProgressMs),
      String(j.rejections),
      j.acceptedMs === null ? '-' : new Date(j.acceptedMs).toISOString(),
      j.cycleMs === null ? '-' : hms(j.cycleMs),
      hms(j.workingMsIn.annotation),
      hms(j.workingMsIn.validation),
      hms(j.workingMsIn.acceptance),
    ]),
  ]
  const widths = header.map((_, i) => Math.max(...lines.map((l) => (l[i] ?? '').length)))
  return [
    ...lines.map((l) =>
      l.map((c, i) => (i < 3 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  '),
    ),
    '',
    'Per job: hours in each stage from its creation to the end of the window (wall clock), reviews that sent it',
    "back, when it entered acceptance (if it is there at the end), from creation to then, and CVAT's working time",
    'on the job while it was in each stage.',
  ].join('\n')
}

const COUNTS = [
  'modelMs',
  'cvatMs',
  'idleMs',
  'manualObjects',
  'importedObjects',
  'automaticObjects',
  'objectsUpdated',
  'objectsDeleted',
  'undo',
  'redo',
] as const
type Counts = Pick<TruthRow, (typeof COUNTS)[number]>

function cells(
  user: string,
  org: string,
  job: number | null,
  task: number | null,
  project: number | null,
  t: Counts,
): string[] {
  const id = (n: number | null) => (n === null ? '-' : String(n))
  const diff = t.cvatMs - t.modelMs
  return [
    user,
    org,
    id(job),
    id(task),
    id(project),
    hms(t.modelMs),
    hms(t.cvatMs),
    hms(t.idleMs),
    `${diff >= 0 ? '+' : ''}${hms(diff)}`,
    ...COUNTS.slice(3).map((k) => String(t[k])),
  ]
}
