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
  /** `user:activity` heartbeats the row carries, in ms from its time (roles-world.ts: heartbeatsByEvent). */
  heartbeats?: readonly number[]
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

/** The idle-gap histogram's edges (s) and the cutoffs working time is recomputed at (s). */
const GAP_EDGES_S = [0, 10, 30, 60, 100, 300, 900]
const CUTOFFS_S = [60, 100, 300, 900]
const LOOKBACK_MS = 3_600_000

/**
 * Where each user's time went in [from, to] (idleGaps grouped by USER): per person and
 * organization, their client events and heartbeats in stored order (`rows` as stored: by time,
 * then event id); each gap measured from the end of the activity before (a `change:frame` lasts
 * its duration), the first in the range from their last event in the hour before. Per user: gaps
 * and seconds per bucket, and working hours at each idle cutoff.
 */
export function idleGaps(rows: Row[], from: number, to: number) {
  interface Item {
    ms: number
    end: number
    order: number
    hb: boolean
  }
  const perPerson = new Map<string, { userId: string; items: Item[] }>()
  rows.forEach((r, order) => {
    const items: Item[] = (r.heartbeats ?? []).map((o) => ({ ms: r.ms + o, end: r.ms + o, order, hb: true }))
    if (r.source === 'client') {
      const end = r.ms + (r.scope === 'change:frame' ? r.duration : 0)
      items.unshift({ ms: r.ms, end, order, hb: false })
    }
    const key = `${r.orgId ?? ''}|${r.userId ?? ''}`
    const person = perPerson.get(key) ?? { userId: r.userId ?? '', items: [] }
    person.items.push(...items.filter((i) => i.ms >= from - LOOKBACK_MS && i.ms <= to))
    perPerson.set(key, person)
  })
  const users = new Map<string, { gaps: number[]; ms: number[]; ext: number; short: number[] }>()
  for (const { userId, items } of perPerson.values()) {
    items.sort((a, b) => a.ms - b.ms || a.order - b.order || Number(a.hb) - Number(b.hb))
    let prevEnd = -Infinity
    items.forEach((item, i) => {
      const before = items[i - 1]
      const repeated = before !== undefined && item.hb && before.hb && before.ms === item.ms
      const hasPrev = i > 0 && !repeated
      const gap = i === 0 ? 0 : Math.max(item.ms - prevEnd, 0)
      const ext = Math.max(item.end - (i === 0 ? item.ms : Math.max(item.ms, prevEnd)), 0)
      prevEnd = Math.max(prevEnd, item.end)
      if (item.ms < from) return
      const user = users.get(userId) ?? {
        gaps: GAP_EDGES_S.map(() => 0),
        ms: GAP_EDGES_S.map(() => 0),
        ext: 0,
        short: CUTOFFS_S.map(() => 0),
      }
      users.set(userId, user)
      user.ext += ext
      if (!hasPrev) return
      const bucket = GAP_EDGES_S.findLastIndex((edge) => gap >= edge * 1000)
      user.gaps[bucket] = (user.gaps[bucket] ?? 0) + 1
      user.ms[bucket] = (user.ms[bucket] ?? 0) + gap
      CUTOFFS_S.forEach((cutoff, c) => {
        if (gap < cutoff * 1000) user.short[c] = (user.short[c] ?? 0) + gap
      })
    })
  }
  return Object.fromEntries(
    [...users]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([userId, u]) => [
        userId,
        {
          buckets: GAP_EDGES_S.map((fromSeconds, i) => ({
            fromSeconds,
            toSeconds: GAP_EDGES_S[i + 1] ?? null,
            gaps: u.gaps[i] ?? 0,
            seconds: (u.ms[i] ?? 0) / 1000,
          })),
          workingHoursAt: CUTOFFS_S.map((idleSeconds, c) => ({
            idleSeconds,
            hours: round((u.ext + (u.short[c] ?? 0)) / 3_600_000),
          })),
        },
      ]),
  )
}

/** The category of every message of the world: none of CVAT's rules takes "TypeError: boom" or "RangeError: far". */
const UNCATEGORIZED = 'Other / uncategorized'

/**
 * CVAT's Users Exceptions figures (exceptionReport) over [from, to] and the period before,
 * [from − (to − from), from) (docs/cvat-compatibility.md#users-exceptions):
 * totals, per source, per category, per day and per message (lower-cased), each with its events
 * and distinct users.
 */
export function exceptionReport(rows: Row[], from: number, to: number) {
  const previousFrom = from - (to - from)
  const errors = exceptionRows(rows)
  const now = errors.filter((r) => r.ms >= from && r.ms <= to)
  const before = errors.filter((r) => r.ms >= previousFrom && r.ms < from)
  const figures = (current: Row[], previous: Row[]) => ({
    count: current.length,
    previousCount: previous.length,
    users: ids(current.map((r) => r.userId)).length,
    previousUsers: ids(previous.map((r) => r.userId)).length,
  })
  const message = (r: Row) => (JSON.parse(r.payload ?? '{}') as { message: string }).message.toLowerCase()
  const day = (r: Row) => new Date(Math.floor(r.ms / 86_400_000) * 86_400_000).toISOString()
  return {
    totals: figures(now, before),
    bySource: ids([...now, ...before].map((r) => r.source)).map((source) => ({
      source,
      ...figures(
        now.filter((r) => r.source === source),
        before.filter((r) => r.source === source),
      ),
    })),
    categories: [...now, ...before].length > 0 ? [{ category: UNCATEGORIZED, ...figures(now, before) }] : [],
    byDay: [...groupBy(now, day)]
      .map(([time, rs]) => ({ day: time, category: UNCATEGORIZED, count: rs.length }))
      .sort((a, b) => a.day.localeCompare(b.day)),
    topMessages: [...groupBy(now, (r) => `${r.source}|${message(r)}`)]
      .map(([, rs]) => ({
        category: UNCATEGORIZED,
        source: (rs[0] as Row).source,
        message: message(rs[0] as Row),
        count: rs.length,
        users: ids(rs.map((r) => r.userId)).length,
      }))
      .sort((a, b) => `${a.source}|${a.message}`.localeCompare(`${b.source}|${b.message}`)),
  }
}
