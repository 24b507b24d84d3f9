import type { Desk } from './desk.js'
import { BUTTONS, EXCEPTIONS, SHAPES_OF } from './names.js'
import { noChanges, type AnnotationChanges, type ObjectRegistry, type SavedObject } from './objects.js'
import type { DemoJob } from './plan.js'
import { annotationsSaved } from './server-rows.js'

/**
 * The things a person does in CVAT that every behaviour shares, each logged as CVAT's UI logs
 * it. Times are in milliseconds and scaled by the person's pace where a human is the bottleneck.
 */

/** Opens a job: `load:job` with the time the job took to load. */
export function openJob(desk: Desk, job: DemoJob, mode: 'annotation' | 'review', frame: number): void {
  desk.job = job
  desk.emit('load:job', {
    duration: desk.rng.logNormal(1_800, 0.5, 20_000),
    payload: { mode, frame, frame_count: job.frames },
  })
}

/**
 * Moves to another frame. CVAT logs `change:frame` when the frame has loaded (its duration) and
 * merges repeats of the same step into one event with a `count` (holding a key to skim).
 */
export function changeFrame(desk: Desk, from: number, to: number, step: number, count: number): void {
  desk.emit('change:frame', {
    duration: desk.rng.logNormal(250, 0.8, 6_000) * count,
    objVal: String(to),
    count,
    payload: { from, to, step },
  })
}

/** Draws one object on `frame`: the drawing time, then `draw:object`; the new object. */
export function drawObject(
  desk: Desk,
  job: DemoJob,
  objects: ObjectRegistry,
  frame: number,
  medianMs: number,
  pace: number,
): SavedObject {
  desk.think(pace * desk.rng.logNormal(medianMs, 0.6, 240_000))
  const shape = desk.rng.pick(SHAPES_OF[job.project.kind])
  const label = desk.rng.pick(job.project.labels)
  desk.emit('draw:object', { objName: shape, payload: { type: shape, label } })
  return objects.create(job, frame, shape, label, desk.rng)
}

/** Resizes or moves an existing object. */
export function adjustObject(desk: Desk, pace: number, moveShare = 0.4): void {
  desk.think(pace * desk.rng.logNormal(2_000, 0.5, 30_000))
  desk.emit(desk.rng.chance(moveShare) ? 'drag:object' : 'resize:object')
}

/** The view: zoom (most common), fit, rarely rotate. */
export function adjustView(desk: Desk): void {
  const r = desk.rng.next()
  desk.think(desk.rng.logNormal(1_200, 0.4))
  if (r < 0.8)
    desk.emit('zoom:image', { payload: { scale: Math.round(desk.rng.between(0.5, 4) * 100) / 100 } })
  else if (r < 0.97) desk.emit('fit:image')
  else desk.emit('rotate:image', { payload: { angle: 90 } })
}

export function clickButton(desk: Desk): void {
  desk.think(desk.rng.logNormal(1_500, 0.4))
  const text = desk.rng.pick(BUTTONS)
  desk.emit('click:element', { payload: { text, classes: 'cvat-annotation-header-button' } })
}

/** An error in the UI, reported with `send:exception` (message, file, position, stack). */
export function reportException(desk: Desk): void {
  const error = desk.rng.pick(EXCEPTIONS)
  desk.emit('send:exception', { payload: { ...error } })
}

/**
 * Saves the job: `save:job` (with the save's duration) and, on the server, the annotation
 * changes since the last save. Resets `changes`.
 */
export function saveJob(desk: Desk, job: DemoJob, changes: AnnotationChanges): void {
  const saved = { ...changes }
  const logged = desk.emit('save:job', { duration: desk.rng.logNormal(700, 0.6, 15_000) })
  Object.assign(changes, noChanges())
  if (!logged) return
  desk.server(-desk.rng.int(5, 60), (atMs) => annotationsSaved(desk.person, job, saved, atMs, desk.rng))
}
