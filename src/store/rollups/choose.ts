import type { EventFilter } from '../../domain/filter.js'
import type { CopyDef, Dim, Measure, RollupDef } from './catalog.js'

/** What an aggregation asks of the events: its filter, the columns it reads, its interval. */
export interface CubeNeeds {
  /** The authorized filter; `from` and `to` (inclusive, ms) bound the time, absent = unbounded. */
  readonly filter: EventFilter
  /** Dimensions read (grouped by, or used in extra conditions) and measures aggregated. */
  readonly dims: readonly Dim[]
  readonly measures: readonly Measure[]
  /** Buckets of a time series: a rollup answers only if its cell divides the interval. */
  readonly intervalMs?: number
}

/**
 * A part of the time range read from one source: a rollup, or the raw table (`rollup` null).
 * Bounds are epoch ms, `from` inclusive and `to` exclusive; undefined is unbounded.
 */
export interface Segment {
  readonly rollup: RollupDef | null
  readonly from?: number
  readonly to?: number
}

/** The filter fields and the dimension each constrains (`exceptionGroups` and `requestIds` have none: no rollup keeps them). */
const FILTER_DIMS: Record<keyof Omit<EventFilter, 'from' | 'to'>, Dim | null> = {
  orgIds: 'org_id',
  projectIds: 'project_id',
  taskIds: 'task_id',
  jobIds: 'job_id',
  userIds: 'user_id',
  userNames: 'user_name',
  scopes: 'scope',
  sources: 'source',
  objNames: 'obj_name',
  exceptionGroups: null,
  requestIds: null,
  hasJob: 'job_id',
}

/** Cells are DateTime (1970 to 2106); the views skip events outside (see catalog.ts). */
export const CELL_MIN_MS = 0
export const CELL_MAX_MS = 2 ** 32 * 1000

/**
 * Chooses where each part of an aggregation's time range is read: the coarsest rollup that can
 * answer exactly for the whole cells inside the range, finer rollups for the whole cells at its
 * edges, and the raw table for what remains (the partial cells at both ends, typically the
 * seconds between a dashboard's `to` = now and the last whole cell). A rollup can answer when it
 * keeps every dimension the filter constrains and the aggregation reads, every measure it needs,
 * its cell divides the interval, and (for a rollup of some scopes only) the filter keeps to those
 * scopes. With no usable rollup the answer is one raw segment: the raw table is always exact.
 *
 * Pure: `available` is the rollups whose backfill is complete (only those hold every event).
 */
export function chooseSegments(needs: CubeNeeds, available: readonly RollupDef[]): Segment[] {
  const candidates = available
    .filter((rollup) => canAnswer(rollup, needs))
    // Coarsest first; at equal grain the narrower rollup: of some scopes, then of fewer dimensions.
    .sort(
      (a, b) =>
        b.grainMs - a.grainMs ||
        Number(Boolean(b.onlyScopes)) - Number(Boolean(a.onlyScopes)) ||
        a.dims.length - b.dims.length,
    )
  const from = needs.filter.from ?? -Infinity
  const to = needs.filter.to === undefined ? Infinity : needs.filter.to + 1
  return cover(from, to, candidates)
}

/** Whether `rollup` holds everything `needs` reads, exactly. */
export function canAnswer(rollup: RollupDef, needs: CubeNeeds): boolean {
  const dims = new Set<Dim>(['org_id', ...rollup.dims])
  for (const [field, dim] of Object.entries(FILTER_DIMS) as [keyof typeof FILTER_DIMS, Dim | null][]) {
    const value = needs.filter[field]
    const constrains = Array.isArray(value) ? value.length > 0 : value !== undefined
    if (constrains && (dim === null || !dims.has(dim))) return false
  }
  if (!needs.dims.every((d) => dims.has(d))) return false
  if (!needs.measures.every((m) => rollup.measures.includes(m))) return false
  if (needs.intervalMs !== undefined && needs.intervalMs % rollup.grainMs !== 0) return false
  if (rollup.onlyScopes) {
    const scopes = needs.filter.scopes ?? []
    if (scopes.length === 0 || !scopes.every((s) => rollup.onlyScopes?.includes(s))) return false
  }
  return true
}

function cover(from: number, to: number, candidates: readonly RollupDef[]): Segment[] {
  if (from >= to) return []
  const [rollup, ...finer] = candidates
  if (!rollup) return [segment(null, from, to)]
  const grain = rollup.grainMs
  // Whole cells inside [from, to), within the cells' own range of dates (rows outside it are
  // only in the raw table: the views skip them).
  const start = Math.max(CELL_MIN_MS, Math.ceil(from / grain) * grain)
  const end = Math.min(CELL_MAX_MS, Math.floor(to / grain) * grain)
  if (start >= end) return cover(from, to, finer)
  return [...cover(from, start, finer), segment(rollup, start, end), ...cover(end, to, finer)]
}

function segment(rollup: RollupDef | null, from: number, to: number): Segment {
  return {
    rollup,
    ...(Number.isFinite(from) ? { from } : {}),
    ...(Number.isFinite(to) ? { to } : {}),
  }
}

/**
 * The table to read raw events from: a copy (whole events of some scopes, in a table of their
 * own) when the filter keeps to its scopes, else `events`. `copies`: the copies whose backfill is
 * complete.
 */
export function rawTable(filter: EventFilter, copies: readonly CopyDef[]): string {
  const scopes = filter.scopes ?? []
  if (scopes.length === 0) return 'events'
  return copies.find((copy) => scopes.every((s) => copy.onlyScopes.includes(s)))?.name ?? 'events'
}
