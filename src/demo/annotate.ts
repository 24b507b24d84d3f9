import {
  adjustObject,
  adjustView,
  changeFrame,
  clickButton,
  drawObject,
  openJob,
  reportException,
  saveJob,
} from './actions.js'
import { jobsAvailable, waitForWork, type Behaviour } from './behaviour.js'
import { MINUTE } from './calendar.js'
import type { Desk } from './desk.js'
import type { DemoJob, DemoPlan } from './plan.js'
import { jobUpdated, type AnnotationChanges } from './server-rows.js'
import { KIND_MODELS } from './work-model.js'
import type { DemoPerson } from './world.js'

/**
 * A worker annotating: through the frames of the assigned jobs in order, drawing, adjusting,
 * undoing, zooming, saving every several minutes and when stepping away, marking a job completed
 * at its last frame and opening the next. With nothing assigned left, the worker goes back over
 * the latest job (corrections) or helps on another job of the organization.
 */
export function annotator(person: DemoPerson, plan: DemoPlan): Behaviour {
  const frameOf = new Map<number, number>()
  const finished = new Set<number>()
  const changes: AnnotationChanges = { created: 0, updated: 0, deleted: 0 }
  let lastSaveMs = 0
  let nextSaveAfterMs = 10 * MINUTE
  let nextAwayMs = 0

  const nextJob = (desk: Desk): DemoJob | null => {
    const mine = (plan.jobsOf.get(person.index) ?? []).filter((j) => j.createdAtMs <= desk.t)
    const open = mine.find((j) => !finished.has(j.id))
    if (open) return open
    const latest = mine[mine.length - 1] ?? desk.rng.pick([null, ...jobsAvailable(plan, person, desk.t)])
    if (latest) {
      finished.delete(latest.id)
      frameOf.set(latest.id, 0)
    }
    return latest
  }

  const save = (desk: Desk, job: DemoJob) => {
    saveJob(desk, job, changes)
    lastSaveMs = desk.t
    nextSaveAfterMs = desk.rng.between(5, 15) * MINUTE
  }

  return {
    shapeDay: (blocks) => [...blocks],
    runBlock(desk) {
      let job = desk.job ?? nextJob(desk)
      while (!job && waitForWork(desk, plan.jobsIn.get(person.orgIndex) ?? [])) job = nextJob(desk)
      if (!job) return
      desk.workOn(job)
      if (desk.job !== job) openJob(desk, job, 'annotation', frameOf.get(job.id) ?? 0)
      else desk.emit('user:activity')
      if (nextAwayMs < desk.t) nextAwayMs = desk.t + desk.rng.logNormal(35 * MINUTE, 0.5)

      while (desk.busy) {
        annotateFrame(desk, job, frameOf, changes, person.habits.pace)
        if (desk.t - lastSaveMs > nextSaveAfterMs) save(desk, job)
        if (desk.t > nextAwayMs) {
          // Chat, a colleague, the guidelines: a pause CVAT's rule does not count.
          desk.away(desk.rng.between(101, 420) * 1000)
          nextAwayMs = desk.t + desk.rng.logNormal(35 * MINUTE, 0.5)
        }
        if ((frameOf.get(job.id) ?? 0) < job.frames - 1) continue
        save(desk, job)
        finished.add(job.id)
        desk.server(desk.rng.int(200, 2_000), (at) =>
          jobUpdated(person, job as DemoJob, { state: 'completed', stage: 'validation' }, at, desk.rng),
        )
        const next = nextJob(desk)
        if (!next) break
        desk.workOn(next)
        desk.think(desk.rng.between(4, 40) * 1000)
        openJob(desk, next, 'annotation', frameOf.get(next.id) ?? 0)
        job = next
      }
      if (changes.created + changes.updated + changes.deleted > 0 && desk.rng.chance(0.85)) save(desk, job)
    },
  }
}

function annotateFrame(
  desk: Desk,
  job: DemoJob,
  frameOf: Map<number, number>,
  changes: AnnotationChanges,
  pace: number,
): void {
  const { rng } = desk
  const model = KIND_MODELS[job.project.kind]
  const from = frameOf.get(job.id) ?? 0
  const skim = rng.chance(0.08)
  const count = skim ? rng.int(2, 8) : 1
  const step = rng.weighted([
    [1, 0.9],
    [-1, 0.06],
    [5, 0.04],
  ] as const)
  const to = Math.max(0, Math.min(job.frames - 1, from + step * count))
  changeFrame(desk, from, to, step, count)
  frameOf.set(job.id, to)
  if (skim) {
    desk.think(rng.logNormal(900, 0.5))
    return
  }

  desk.think(pace * rng.logNormal(model.secondsPerFrame * 1000, 0.5, 120_000))
  if (rng.chance(0.2)) adjustView(desk)
  for (let n = rng.poisson(model.objectsPerFrame); n > 0; n--) {
    drawObject(desk, job, model.secondsPerObject * 1000, pace)
    changes.created++
    if (rng.chance(0.22)) {
      adjustObject(desk, pace)
      changes.updated++
    }
    if (rng.chance(0.07)) {
      desk.think(rng.logNormal(900, 0.4))
      desk.emit('action:undo', { count: rng.chance(0.2) ? 2 : 1 })
      if (rng.chance(0.3)) {
        desk.think(rng.logNormal(900, 0.4))
        desk.emit('action:redo', { count: 1 })
      } else drawObject(desk, job, model.secondsPerObject * 1000, pace)
    }
    if (rng.chance(0.03)) {
      desk.emit('copy:object', { count: 1 })
      desk.think(rng.logNormal(1_500, 0.4))
      desk.emit('paste:object')
      changes.created++
    }
    if (rng.chance(0.04)) {
      desk.think(rng.logNormal(1_000, 0.4))
      desk.emit('delete:object', { count: 1 })
      changes.deleted++
    }
  }
  if (rng.chance(model.adjustPerFrame)) {
    adjustObject(desk, pace, job.project.kind === 'video' ? 0.8 : 0.4)
    changes.updated++
  }
  if (job.project.kind === 'video' && rng.chance(0.02)) {
    desk.emit(rng.pick(['propagate:object', 'merge:objects', 'split:objects', 'group:objects']), { count: 1 })
    changes.updated++
  }
  if (rng.chance(0.03)) clickButton(desk)
  if (rng.chance(0.0015)) reportException(desk)
  if (rng.chance(0.02)) desk.away(rng.between(30, 95) * 1000)
}
