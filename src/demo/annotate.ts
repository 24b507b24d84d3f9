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
import { changeCount, noChanges, noteDelete, noteUpdate, type AnnotationChanges } from './objects.js'
import type { DemoJob, DemoPlan } from './plan.js'
import { functionCalled, jobUpdated } from './server-rows.js'
import { KIND_MODELS } from './work-model.js'
import type { DemoPerson } from './world.js'

/** Share of an annotator's new jobs on which they first run a model (CVAT's automatic annotation). */
const MODEL_RUN_RATE = 0.25
const MODELS = ['openvino-omz-public-yolo-v3-tf', 'pth-facebookresearch-sam-vit-h', 'onnx-wongkinyiu-yolov7']

/**
 * A worker annotating: through the frames of the assigned jobs in order, drawing, adjusting,
 * undoing, zooming, saving every several minutes and when stepping away, completing a job into
 * validation at its last frame and opening the next. A job a reviewer sent back comes first: the
 * worker goes over it again and completes it anew. On some new jobs the worker first runs a
 * model, whose objects are then corrected. With nothing assigned left, the worker goes back over
 * the latest job (corrections) or helps on another job of the organization.
 */
export function annotator(person: DemoPerson, plan: DemoPlan): Behaviour {
  const frameOf = new Map<number, number>()
  const finished = new Set<number>()
  const started = new Set<number>()
  const reworking = new Set<number>()
  const changes: AnnotationChanges = noChanges()
  let lastSaveMs = 0
  let nextSaveAfterMs = 10 * MINUTE
  let nextAwayMs = 0

  const nextJob = (desk: Desk): DemoJob | null => {
    const mine = (plan.jobsOf.get(person.index) ?? []).filter((j) => j.createdAtMs <= desk.t)
    const sentBack = plan.board.rejected(mine, desk.t)[0]
    if (sentBack) {
      finished.delete(sentBack.id)
      reworking.add(sentBack.id)
      frameOf.set(sentBack.id, 0)
      return sentBack
    }
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

  /** Opens a job; a job of its own that is new or sent back goes to "in progress"; some new ones get a model run first. */
  const open = (desk: Desk, job: DemoJob) => {
    openJob(desk, job, 'annotation', frameOf.get(job.id) ?? 0)
    const own = job.assignee === person
    const { state } = plan.board.at(job, desk.t)
    if (own && (state === 'new' || state === 'rejected')) {
      const latency = desk.rng.int(200, 1_500)
      desk.server(latency, (at) => {
        plan.board.set(job, at, { state: 'in progress' })
        return jobUpdated(person, job, { state: 'in progress' }, { state }, at, desk.rng)
      })
    }
    if (own && !started.has(job.id)) {
      started.add(job.id)
      if (job.annotation !== 'tags' && desk.rng.chance(MODEL_RUN_RATE)) runModel(desk, job)
    }
  }

  const runModel = (desk: Desk, job: DemoJob) => {
    desk.think(desk.rng.between(5, 20) * 1000)
    desk.emit('click:element', { payload: { text: 'Annotate', classes: 'cvat-run-model-button' } })
    const created = Array.from({ length: desk.rng.int(5, 40) }, () =>
      plan.objects.create(
        job,
        desk.rng.int(0, job.frames - 1),
        desk.rng.pick(SHAPES[job.project.kind] ?? ['rectangle']),
        desk.rng.pick(job.project.labels),
        desk.rng,
      ),
    )
    const model = desk.rng.pick(MODELS)
    desk.server(desk.rng.int(20_000, 90_000), (at) =>
      functionCalled(person, job, model, created, at, desk.rng),
    )
    desk.think(desk.rng.between(20, 90) * 1000)
  }

  const complete = (desk: Desk, job: DemoJob) => {
    save(desk, job)
    finished.add(job.id)
    reworking.delete(job.id)
    if (job.assignee !== person) return
    const before = plan.board.at(job, desk.t)
    desk.server(desk.rng.int(200, 2_000), (at) => {
      plan.board.set(job, at, { state: 'completed', stage: 'validation' })
      return jobUpdated(person, job, { state: 'completed', stage: 'validation' }, before, at, desk.rng)
    })
  }

  return {
    shapeDay: (blocks) => [...blocks],
    runBlock(desk) {
      let job = desk.job ?? nextJob(desk)
      while (!job && waitForWork(desk, plan.jobsIn.get(person.orgIndex) ?? [])) job = nextJob(desk)
      if (!job) return
      desk.workOn(job)
      if (desk.job !== job) open(desk, job)
      else desk.emit('user:activity')
      if (nextAwayMs < desk.t) nextAwayMs = desk.t + desk.rng.logNormal(35 * MINUTE, 0.5)

      while (desk.busy) {
        if (reworking.has(job.id)) reworkFrame(desk, plan, job, frameOf, changes, person.habits.pace)
        else annotateFrame(desk, plan, job, frameOf, changes, person.habits.pace)
        if (desk.t - lastSaveMs > nextSaveAfterMs) save(desk, job)
        if (desk.t > nextAwayMs) {
          // Chat, a colleague, the guidelines: a pause CVAT's rule does not count.
          desk.away(desk.rng.between(101, 420) * 1000)
          nextAwayMs = desk.t + desk.rng.logNormal(35 * MINUTE, 0.5)
        }
        if ((frameOf.get(job.id) ?? 0) < job.frames - 1) continue
        complete(desk, job)
        const next = nextJob(desk)
        if (!next) break
        desk.workOn(next)
        desk.think(desk.rng.between(4, 40) * 1000)
        open(desk, next)
        job = next
      }
      if (changeCount(changes) > 0 && desk.rng.chance(0.85)) save(desk, job)
    },
  }
}

const SHAPES: Record<string, readonly string[]> = {
  boxes: ['rectangle'],
  polygons: ['polygon', 'mask'],
  video: ['rectangle'],
}

function annotateFrame(
  desk: Desk,
  plan: DemoPlan,
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
    const drawn = drawObject(desk, job, plan.objects, to, model.secondsPerObject * 1000, pace)
    changes.created.push(drawn)
    if (rng.chance(0.22)) {
      adjustObject(desk, pace)
      noteUpdate(changes, drawn)
    }
    if (rng.chance(0.07)) {
      desk.think(rng.logNormal(900, 0.4))
      desk.emit('action:undo', { count: rng.chance(0.2) ? 2 : 1 })
      if (rng.chance(0.3)) {
        desk.think(rng.logNormal(900, 0.4))
        desk.emit('action:redo', { count: 1 })
      } else {
        // The drawing undone, drawn again: one object in the end.
        noteDelete(changes, drawn)
        changes.created.push(drawObject(desk, job, plan.objects, to, model.secondsPerObject * 1000, pace))
      }
    }
    if (rng.chance(0.03)) {
      desk.emit('copy:object', { count: 1 })
      desk.think(rng.logNormal(1_500, 0.4))
      desk.emit('paste:object')
      changes.created.push(plan.objects.create(job, to, drawn.shape, rng.pick(job.project.labels), rng))
    }
    if (rng.chance(0.04)) deleteOne(desk, plan, job, to, changes)
  }
  if (rng.chance(model.adjustPerFrame)) {
    adjustObject(desk, pace, job.project.kind === 'video' ? 0.8 : 0.4)
    noteUpdate(changes, plan.objects.pick(job, to, rng))
  }
  if (job.project.kind === 'video' && rng.chance(0.02)) {
    desk.emit(rng.pick(['propagate:object', 'merge:objects', 'split:objects', 'group:objects']), { count: 1 })
    noteUpdate(changes, plan.objects.pick(job, to, rng))
  }
  if (rng.chance(0.03)) clickButton(desk)
  if (rng.chance(0.0015)) reportException(desk)
  if (rng.chance(0.02)) desk.away(rng.between(30, 95) * 1000)
}

/** Going over a job sent back: larger steps, mostly fixing what exists, some objects added or removed. */
function reworkFrame(
  desk: Desk,
  plan: DemoPlan,
  job: DemoJob,
  frameOf: Map<number, number>,
  changes: AnnotationChanges,
  pace: number,
): void {
  const { rng } = desk
  const model = KIND_MODELS[job.project.kind]
  const from = frameOf.get(job.id) ?? 0
  const step = rng.int(3, 10)
  const to = Math.min(job.frames - 1, from + step)
  changeFrame(desk, from, to, step, 1)
  frameOf.set(job.id, to)
  desk.think(pace * rng.logNormal(model.secondsPerFrame * 1000, 0.5, 60_000))
  if (rng.chance(0.4)) {
    adjustObject(desk, pace)
    noteUpdate(changes, plan.objects.pick(job, to, rng))
  }
  if (rng.chance(0.1))
    changes.created.push(drawObject(desk, job, plan.objects, to, model.secondsPerObject * 1000, pace))
  if (rng.chance(0.08)) deleteOne(desk, plan, job, to, changes)
  if (rng.chance(0.05)) {
    desk.think(rng.logNormal(900, 0.4))
    desk.emit('action:undo', { count: 1 })
  }
}

function deleteOne(
  desk: Desk,
  plan: DemoPlan,
  job: DemoJob,
  frame: number,
  changes: AnnotationChanges,
): void {
  const victim = plan.objects.pick(job, frame, desk.rng)
  desk.think(desk.rng.logNormal(1_000, 0.4))
  desk.emit('delete:object', { count: 1 })
  if (!victim) return
  plan.objects.remove(job, victim)
  noteDelete(changes, victim)
}
