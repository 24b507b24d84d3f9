import type { DemoJob, DemoProject } from './work-items.js'
import type { Random } from './random.js'

/** One annotation object of a job, as CVAT's save events describe it. */
export interface SavedObject {
  readonly id: number
  readonly frame: number
  /** CVAT's shape type ('rectangle', 'polygon', …), or 'tag' for tags. */
  readonly shape: string
  readonly labelId: number
  /** Tracks: the frames of their keyframes. */
  readonly keyframes?: readonly number[]
}

/** What changed in a job since its last save: CVAT's server logs it when the job is saved. */
export interface AnnotationChanges {
  created: SavedObject[]
  updated: SavedObject[]
  deleted: SavedObject[]
}

export const noChanges = (): AnnotationChanges => ({ created: [], updated: [], deleted: [] })
export const changeCount = (c: AnnotationChanges) => c.created.length + c.updated.length + c.deleted.length

/** A label's id in CVAT: the project's labels are numbered from project id × 100. */
export function labelIdOf(project: DemoProject, label: string): number {
  return project.id * 100 + Math.max(0, project.labels.indexOf(label)) + 1
}

/**
 * The objects in each job, so saves name real ids: created by hand, by an import or by a model
 * run; updated and deleted ones are picked from those that exist. Ids are CVAT's: one sequence
 * for all jobs.
 */
export class ObjectRegistry {
  private nextId = 1
  private readonly byJob = new Map<number, SavedObject[]>()

  /** A new object of `job` on `frame`. */
  create(job: DemoJob, frame: number, shape: string, label: string, rng: Random): SavedObject {
    const tracked = job.annotation === 'tracks'
    const object: SavedObject = {
      id: this.nextId++,
      frame,
      shape: job.annotation === 'tags' ? 'tag' : shape,
      labelId: labelIdOf(job.project, label),
      ...(tracked
        ? {
            keyframes: [
              frame,
              ...Array.from({ length: rng.int(0, 3) }, (_, i) => frame + (i + 1) * rng.int(5, 40)),
            ],
          }
        : {}),
    }
    const list = this.byJob.get(job.id)
    if (list) list.push(object)
    else this.byJob.set(job.id, [object])
    return object
  }

  /** An existing object of the job (near `frame` when there is one), or null when it has none. */
  pick(job: DemoJob, frame: number, rng: Random): SavedObject | null {
    const list = this.byJob.get(job.id) ?? []
    if (list.length === 0) return null
    const near = list.filter((o) => Math.abs(o.frame - frame) <= 2)
    return rng.pick(near.length > 0 ? near : list)
  }

  /** Removes an object (deleted): it is no longer picked. */
  remove(job: DemoJob, object: SavedObject): void {
    const list = this.byJob.get(job.id) ?? []
    const i = list.indexOf(object)
    if (i >= 0) list.splice(i, 1)
  }
}

/** Adds an object to a change set once (an object adjusted twice before a save is updated once). */
export function noteUpdate(changes: AnnotationChanges, object: SavedObject | null): void {
  if (!object) return
  if (changes.created.includes(object) || changes.updated.includes(object)) return
  changes.updated.push(object)
}

/** A deleted object: one created since the last save is simply not saved; any other is deleted. */
export function noteDelete(changes: AnnotationChanges, object: SavedObject | null): void {
  if (!object) return
  const created = changes.created.indexOf(object)
  if (created >= 0) {
    changes.created.splice(created, 1)
    return
  }
  const updated = changes.updated.indexOf(object)
  if (updated >= 0) changes.updated.splice(updated, 1)
  changes.deleted.push(object)
}
