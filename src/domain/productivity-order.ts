import type { ProductivityGroup, ProductivityKeys, ProductivityRow } from './productivity.js'

const text = (a: string | null, b: string | null) => (a ?? '').localeCompare(b ?? '')
const id = (a: string | null, b: string | null) =>
  a === b ? 0 : a === null ? -1 : b === null ? 1 : a.length - b.length || (a < b ? -1 : 1)

/** Keys in a stable order: period, user, project, task, job, shape type (nulls first). */
export function compareKeys(a: ProductivityKeys, b: ProductivityKeys): number {
  return (
    (a.periodMs ?? -Infinity) - (b.periodMs ?? -Infinity) ||
    id(a.userId, b.userId) ||
    id(a.projectId, b.projectId) ||
    id(a.taskId, b.taskId) ||
    id(a.jobId, b.jobId) ||
    text(a.shapeType, b.shapeType)
  )
}

/**
 * The order of productivity answers: by period first when grouped by DAY or WEEK (series ascend
 * in time), then the most manual objects, the most objects, the most working time, then the keys.
 */
export function sortProductivityRows(
  rows: readonly ProductivityRow[],
  groups: readonly ProductivityGroup[],
): ProductivityRow[] {
  const byTime = groups.includes('day') || groups.includes('week')
  return [...rows].sort(
    (a, b) =>
      (byTime ? (a.periodMs ?? 0) - (b.periodMs ?? 0) : 0) ||
      b.manualObjectsCreated - a.manualObjectsCreated ||
      b.objectsCreated - a.objectsCreated ||
      b.workingMs - a.workingMs ||
      compareKeys(a, b),
  )
}
