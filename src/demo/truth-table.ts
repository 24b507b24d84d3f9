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
  ]
  const lines: string[][] = [header]
  const byUser = new Map<number, TruthRow[]>()
  for (const row of rows) byUser.set(row.userId, [...(byUser.get(row.userId) ?? []), row])
  for (const userRows of byUser.values()) {
    for (const r of userRows) lines.push(cells(r.username, r.orgSlug, r.jobId, r.taskId, r.projectId, r))
    const first = userRows[0] as TruthRow
    const sum = (key: 'modelMs' | 'cvatMs' | 'idleMs') => userRows.reduce((a, r) => a + r[key], 0)
    const total = { modelMs: sum('modelMs'), cvatMs: sum('cvatMs'), idleMs: sum('idleMs') }
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
    "jobs, and the moments between load:cvat and load:job, which land on 'no job').",
  ].join('\n')
}

function cells(
  user: string,
  org: string,
  job: number | null,
  task: number | null,
  project: number | null,
  t: { modelMs: number; cvatMs: number; idleMs: number },
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
  ]
}
