import { MS_PER_HOUR } from './units.js'

/** What productivity figures may be grouped by (any combination; none is one row of totals). */
export const PRODUCTIVITY_GROUPS = ['user', 'project', 'task', 'job', 'shape_type', 'day', 'week'] as const
export type ProductivityGroup = (typeof PRODUCTIVITY_GROUPS)[number]

/** CVAT's idle threshold: at this cutoff working time is the stored `send:working_time`. */
export const CVAT_IDLE_SECONDS = 100
/** The idle cutoffs working time may be recomputed at, in seconds. */
export const MIN_IDLE_SECONDS = 10
export const MAX_IDLE_SECONDS = 3600

/** Objects of a shape type: CVAT's `obj_name` of shapes and tracks; tags have none and count as 'tag'. */
export const TAG_SHAPE_TYPE = 'tag'

/** The keys of a group: null where not grouped by it (or, for ids, for events without one). */
export interface ProductivityKeys {
  readonly userId: string | null
  readonly userName: string | null
  readonly projectId: string | null
  readonly taskId: string | null
  readonly jobId: string | null
  /** Shape type of the objects; null for what has none (working time, undo and redo). */
  readonly shapeType: string | null
  /** Start of the UTC day or ISO week (Monday), epoch ms. */
  readonly periodMs: number | null
}

/** The sums of one group, as the store answers them. */
export interface ProductivityRow extends ProductivityKeys {
  /** Sums of `count` of create|update|delete:{tags,shapes,tracks}. */
  readonly objectsCreated: number
  readonly objectsUpdated: number
  readonly objectsDeleted: number
  /** Created by requests that were neither an import (`import:dataset`) nor a model run (`call:function`). */
  readonly manualObjectsCreated: number
  readonly importedObjectsCreated: number
  readonly automaticObjectsCreated: number
  /** Working time at the asked cutoff, in milliseconds. */
  readonly workingMs: number
  /** Sums of `count` of action:undo and action:redo. */
  readonly undo: number
  readonly redo: number
}

export const workingHours = (row: Pick<ProductivityRow, 'workingMs'>) => row.workingMs / MS_PER_HOUR

/** Manual objects per hour of work; null without working time. */
export function objectsPerHour(row: ProductivityRow): number | null {
  return row.workingMs > 0 ? row.manualObjectsCreated / workingHours(row) : null
}

/** Objects deleted per object created; null when nothing was created. */
export function reworkRatio(row: ProductivityRow): number | null {
  return row.objectsCreated > 0 ? row.objectsDeleted / row.objectsCreated : null
}

/** Start of the UTC day of `ms`. */
export const dayOf = (ms: number) => Math.floor(ms / 86_400_000) * 86_400_000
/** Start of the ISO week (Monday, UTC) of `ms`: 1970-01-01 was a Thursday. */
export const weekOf = (ms: number) => {
  const week = 7 * 86_400_000
  return ms - ((((ms + 3 * 86_400_000) % week) + week) % week)
}

/** The edges of the idle-gap histogram, in seconds; the last bucket has no upper edge. */
export const IDLE_GAP_EDGES_S: readonly number[] = [0, 10, 30, 60, 100, 300, 900]
/** The cutoffs `workingHoursAt` answers for, in seconds (each an edge of the histogram). */
export const IDLE_CUTOFFS_S: readonly number[] = [60, 100, 300, 900]

/** One bucket of the histogram of gaps between a person's consecutive client events. */
export interface IdleGapBucket {
  readonly fromSeconds: number
  /** null for the last bucket (and beyond). */
  readonly toSeconds: number | null
  /** How many gaps, and their total length in seconds. */
  readonly gaps: number
  readonly seconds: number
}

export interface IdleGapRow extends ProductivityKeys {
  readonly buckets: readonly IdleGapBucket[]
  /** Working time recomputed at each of IDLE_CUTOFFS_S, in milliseconds. */
  readonly workingMsAt: readonly { readonly idleSeconds: number; readonly ms: number }[]
}
