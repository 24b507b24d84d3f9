import type { StoredEvent } from './app.js'

/**
 * The expectations of the roles × paths matrix, worked out from stored rows in plain TypeScript
 * (never through the service's filters or SQL): what each read path must answer for the rows a
 * caller may see.
 */

export interface Row {
  id: string
  ms: number
  userId: string | null
  userName: string | null
  orgId: string | null
  projectId: string | null
  taskId: string | null
  jobId: string | null
  scope: string
  source: string
  objName: string | null
  objVal: string | null
  count: number | null
  duration: number
  payload: string | null
}

/** A stored time ("2024-05-06 09:00:00.000", UTC, or ISO) in epoch milliseconds. */
export function epochMs(text: string): number {
  const iso = text.includes('T') ? text : text.replace(' ', 'T')
  return Date.parse(/Z|[+-]\d\d:?\d\d$/.test(iso) ? iso : `${iso}Z`)
}

export function rowOf(e: StoredEvent): Row {
  return {
    id: e.event_id,
    ms: epochMs(e.timestamp),
    userId: e.user_id,
    userName: e.user_name,
    orgId: e.org_id,
    projectId: e.project_id,
    taskId: e.task_id,
    jobId: e.job_id,
    scope: e.scope,
    source: e.source,
    objName: e.obj_name,
    objVal: e.obj_val,
    count: e.count === null ? null : Number(e.count),
    duration: Number(e.duration),
    payload: e.payload,
  }
}

const WORKING_TIME = 'send:working_time'
const EXCEPTION = 'send:exception'
const isException = (r: Row) => r.scope === EXCEPTION

/** Distinct values, nulls dropped, sorted. */
export const ids = (values: Iterable<string | null>): string[] =>
  [...new Set([...values].filter((v): v is string => v !== null))].sort()

function groupBy<K>(rows: Row[], key: (r: Row) => K): Map<K, Row[]> {
  const groups = new Map<K, Row[]>()
  for (const r of rows) groups.set(key(r), [...(groups.get(key(r)) ?? []), r])
  return groups
}

const round = (n: number, digits = 6) => Number(n.toFixed(digits))
const sum = (rows: Row[], f: (r: Row) => number) => rows.reduce((s, r) => s + f(r), 0)
const bucketIso = (ms: number, width: number) => new Date(Math.floor(ms / width) * width).toISOString()

/** Non-empty buckets: start → events and distinct users. */
export function buckets(rows: Row[], width: number): { time: string; count: number; users: number }[] {
  return [...groupBy(rows, (r) => bucketIso(r.ms, width))]
    .map(([time, rs]) => ({ time, count: rs.length, users: ids(rs.map((r) => r.userId)).length }))
    .sort((a, b) => a.time.localeCompare(b.time))
}

/** Per user (id, or "" without one): its non-empty buckets (start → events). */
export function bucketsByUser(rows: Row[], width: number): Record<string, { time: string; count: number }[]> {
  return Object.fromEntries(
    [...groupBy(rows, (r) => r.userId ?? '')]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([user, rs]) => [user, buckets(rs, width).map(({ time, count }) => ({ time, count }))]),
  )
}

export function exceptionRows(rows: Row[]): Row[] {
  return rows.filter(isException)
}

/** Per (scope, source): events and duration statistics. */
export function scopeDurations(rows: Row[]) {
  return [...groupBy(rows, (r) => `${r.scope}|${r.source}`)]
    .map(([key, rs]) => {
      const durations = rs.map((r) => r.duration)
      return {
        key,
        count: rs.length,
        avg: round(sum(rs, (r) => r.duration) / rs.length, 3),
        min: Math.min(...durations),
        max: Math.max(...durations),
      }
    })
    .sort((a, b) => a.key.localeCompare(b.key))
}

/** Groups of reported errors by message (the seed gives each kind one message and one stack). */
export function exceptionGroups(rows: Row[]) {
  return [
    ...groupBy(exceptionRows(rows), (r) => (JSON.parse(r.payload ?? '{}') as { message: string }).message),
  ]
    .map(([message, rs]) => ({
      message,
      count: rs.length,
      users: ids(rs.map((r) => r.userId)).length,
      jobs: ids(rs.map((r) => r.jobId)).length,
    }))
    .sort((a, b) => a.message.localeCompare(b.message))
}

/** Working time (ms, from CVAT's send:working_time) and actions (client events) per key. */
export function workingTime(rows: Row[], key: (r: Row) => string) {
  const counted = rows.filter((r) => r.scope === WORKING_TIME || r.source === 'client')
  return Object.fromEntries(
    [...groupBy(counted, key)]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, rs]) => [
        k,
        {
          ms: sum(rs, (r) => (r.scope === WORKING_TIME ? r.duration : 0)),
          actions: rs.filter((r) => r.source === 'client').length,
        },
      ]),
  )
}

/** Distinct users per browser and per operating system (from load:cvat's payload). */
export function platforms(rows: Row[]) {
  const loads = rows
    .filter((r) => r.scope === 'load:cvat' && r.payload)
    .map((r) => ({
      r,
      p: (JSON.parse(r.payload ?? '{}') as { platform: { name: string; os: string } }).platform,
    }))
  const per = (f: (p: { name: string; os: string }) => string) =>
    Object.fromEntries(
      [...new Set(loads.map(({ p }) => f(p)))]
        .sort()
        .map((name) => [name, ids(loads.filter(({ p }) => f(p) === name).map(({ r }) => r.userId)).length]),
    )
  return { browsers: per((p) => p.name), operatingSystems: per((p) => p.os) }
}

/** Objects created (manual: no import or model run in the seed) and CVAT's working hours per user. */
export function productivityByUser(rows: Row[]) {
  const objects = rows.filter((r) => /^create:(shapes|tags|tracks)$/.test(r.scope))
  const wt = rows.filter((r) => r.scope === WORKING_TIME)
  const users = ids([...objects, ...wt].map((r) => r.userId))
  return Object.fromEntries(
    users.map((u) => {
      const created = sum(
        objects.filter((r) => r.userId === u),
        (r) => r.count ?? 0,
      )
      const ms = sum(
        wt.filter((r) => r.userId === u),
        (r) => r.duration,
      )
      return [
        u,
        { objectsCreated: created, manualObjectsCreated: created, workingHours: round(ms / 3_600_000) },
      ]
    }),
  )
}

/** Jobs whose stage, state or assignee changed, with the changes seen (in order). */
export function jobFlows(rows: Row[]) {
  const changes = rows.filter(
    (r) => r.scope === 'update:job' && ['stage', 'state', 'assignee'].includes(r.objName ?? ''),
  )
  return Object.fromEntries(
    [...groupBy(changes, (r) => r.jobId ?? '')]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([job, rs]) => [
        job,
        rs.sort((a, b) => a.ms - b.ms).map((r) => ({ field: r.objName, to: r.objVal, userId: r.userId })),
      ]),
  )
}

/** What identifies an exported row, in CVAT's CSV columns. */
export function csvKey(r: Record<string, string>): string {
  return [r.scope, epochMs(r.timestamp ?? ''), r.user_id, r.org_id, r.job_id, r.obj_val, r.duration].join('|')
}

export function rowKey(r: Row): string {
  return [r.scope, r.ms, r.userId ?? '', r.orgId ?? '', r.jobId ?? '', r.objVal ?? '', r.duration].join('|')
}

/** The export's rows (exceptions left out unless asked for), as sorted keys. */
export function exportKeys(rows: Row[], includeExceptions = false): string[] {
  return rows
    .filter((r) => includeExceptions || !isException(r))
    .map(rowKey)
    .sort()
}
