import type { AuthorizedFilter, EventFilter } from '../domain/filter.js'
import type { ProductivityGroup, ProductivityKeys } from '../domain/productivity.js'
import { TAG_SHAPE_TYPE } from '../domain/productivity.js'
import { OBJECT_SCOPES } from '../domain/scopes.js'
import { quoted } from './rollups/catalog.js'
import type { CubeColumn } from './rollups/cube.js'

/**
 * The group keys of productivity's queries, the same aliases over every source (the objects of
 * the trail rollup, the cube of working time, the recomputed activity), so rows of several
 * queries merge by key.
 */
export interface KeySql {
  /** `expr AS alias` for the SELECT. */
  readonly select: string[]
  /** Aliases for GROUP BY (empty: one row of totals). */
  readonly groupBy: string[]
  /** Cube columns the expressions read. */
  readonly columns: CubeColumn[]
}

/** Where keys come from: the trail rollup's saves, working time and undo/redo, or recomputed activity. */
export type KeySource = 'trail' | 'activity'

const DAY_MS = 86_400_000
// 1970-01-01 was a Thursday: three days after a Monday.
const week = (t: string) => `${t} - positiveModulo(${t} + ${3 * DAY_MS}, ${7 * DAY_MS})`

export function keySql(groups: readonly ProductivityGroup[], source: KeySource): KeySql {
  const select: string[] = []
  const groupBy: string[] = []
  const columns = new Set<CubeColumn>()
  const time = source === 'activity' ? 'ts' : 't_ms'
  const ids = { user: 'user_id', project: 'project_id', task: 'task_id', job: 'job_id' } as const
  for (const group of groups) {
    switch (group) {
      case 'user':
      case 'project':
      case 'task':
      case 'job': {
        const column = source === 'activity' && group !== 'user' ? `ctx_${ids[group]}` : ids[group]
        select.push(`${column} AS g_${group}`)
        groupBy.push(`g_${group}`)
        if (source !== 'activity') columns.add(ids[group])
        break
      }
      case 'shape_type':
        // Only saves have one: working time and undo/redo rows are grouped under none.
        select.push(
          source === 'trail'
            ? `if(scope IN (${quoted(OBJECT_SCOPES)}),
                 if(endsWith(scope, ':tags'), '${TAG_SHAPE_TYPE}', obj_name), NULL) AS g_shape`
            : `CAST(NULL, 'Nullable(String)') AS g_shape`,
        )
        groupBy.push('g_shape')
        if (source === 'trail') columns.add('obj_name').add('scope')
        break
      case 'day':
      case 'week':
        if (groupBy.includes('g_period')) break
        // Both asked: the week wins (a day is inside it); resolvers refuse the pair.
        select.push(
          `${groups.includes('week') ? week(time) : `intDiv(${time}, ${DAY_MS}) * ${DAY_MS}`} AS g_period`,
        )
        groupBy.push('g_period')
        if (source !== 'activity') columns.add('t_ms')
        break
    }
  }
  if (groups.includes('user')) {
    // The name a person had last, and when: parts of one answer (objects, working time) merge by
    // the latest of their names, whatever order they arrive in.
    const at = source === 'activity' ? 'ts' : 'last_ms'
    select.push(`argMax(user_name, ${at}) AS g_user_name`, `max(${at}) AS g_user_name_at`)
    if (source !== 'activity') columns.add('user_name').add('last_ms')
  }
  return { select, groupBy, columns: [...columns] }
}

/** The key columns of a result row (each query selects them under the same aliases). */
export interface KeyRow {
  g_user?: string | null
  g_user_name?: string | null
  /** When the person last had `g_user_name` (epoch ms). */
  g_user_name_at?: string | number | null
  g_project?: string | null
  g_task?: string | null
  g_job?: string | null
  g_shape?: string | null
  g_period?: string | number | null
}

export function keysOf(row: KeyRow): ProductivityKeys {
  return {
    userId: row.g_user ?? null,
    userName: row.g_user_name ?? null,
    projectId: row.g_project ?? null,
    taskId: row.g_task ?? null,
    jobId: row.g_job ?? null,
    shapeType: row.g_shape ?? null,
    periodMs: row.g_period === undefined || row.g_period === null ? null : Number(row.g_period),
  }
}

/** When a row's person last had its name (epoch ms), -Infinity without one. */
export const nameTimeOf = (row: KeyRow): number =>
  row.g_user_name_at === undefined || row.g_user_name_at === null ? -Infinity : Number(row.g_user_name_at)

/** One string per group, for merging rows of several queries. */
export const keyOf = (k: ProductivityKeys) =>
  `${k.userId}|${k.projectId}|${k.taskId}|${k.jobId}|${k.shapeType}|${k.periodMs}`

/**
 * The people part of an authorized filter: the organizations and users it may see (the policy's
 * constraints are all here) and those it chose. Productivity reads a person's whole timeline, or
 * the import behind an object, beyond the jobs and scopes the caller narrowed to; never beyond
 * what the policy allowed.
 */
export function peopleOf(
  filter: AuthorizedFilter,
  range: Pick<EventFilter, 'from' | 'to'>,
): AuthorizedFilter {
  const people: { -readonly [K in keyof EventFilter]: EventFilter[K] } = { ...range }
  if (filter.orgIds) people.orgIds = filter.orgIds
  if (filter.userIds) people.userIds = filter.userIds
  if (filter.userNames) people.userNames = filter.userNames
  return people as AuthorizedFilter
}
