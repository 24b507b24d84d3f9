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
import { issueCreated, jobUpdated } from './server-rows.js'
import type { TruthLedger } from './truth.js'
import type { DemoPerson } from './world.js'

/** Share of reviews that send the job back to annotation. */
const REJECT_RATE = 0.25

/**
 * A supervisor reviewing: takes the job of the organization that has waited longest in
 * validation, steps through its frames faster than an annotator, fixes a few objects, raises an
 * issue now and then, and at the end accepts it (stage acceptance) or sends it back (stage
 * annotation, state rejected). With nothing in validation, looks over recent jobs.
 */
export function reviewer(person: DemoPerson, plan: DemoPlan, ledger: TruthLedger): Behaviour {
  const changes: AnnotationChanges = noChanges()
  let issues = 0
  return {
    shapeDay: (blocks, rng) => blocks.filter(() => rng.chance(0.8)),
    runBlock(desk) {
      while (desk.busy) {
        const org = plan.jobsIn.get(person.orgIndex) ?? []
        const waiting = plan.board.inValidation(org, desk.t)[0]
        const recent = jobsAvailable(plan, person, desk.t).slice(-30)
        if (!waiting && recent.length === 0) {
          if (waitForWork(desk, org)) continue
          return
        }
        const job = waiting ?? desk.rng.pick(recent)
        desk.workOn(job)
        if (desk.job !== null) desk.think(desk.rng.between(4, 30) * 1000)
        openJob(desk, job, 'review', 0)
        const done = reviewJob(desk, plan, job, changes, () => person.id * 10_000 + ++issues)
        if (changeCount(changes) > 0) saveJob(desk, job, changes)
        if (waiting && done) verdict(desk, plan, ledger, person, job)
        else if (!waiting) desk.away(desk.rng.between(5, 20) * MINUTE)
      }
    },
  }
}

/** Accepts or rejects a reviewed job: one update:job request, and the board moves with it. */
function verdict(desk: Desk, plan: DemoPlan, ledger: TruthLedger, person: DemoPerson, job: DemoJob): void {
  const reject = desk.rng.chance(REJECT_RATE)
  const change = reject
    ? { stage: 'annotation', state: 'rejected' }
    : { stage: 'acceptance', state: 'completed' }
  const before = plan.board.at(job, desk.t)
  const latency = desk.rng.int(200, 2_000)
  desk.server(latency, (at) => {
    plan.board.set(job, at, change)
    ledger.addVerdict(job, reject)
    return jobUpdated(person, job, change, before, at, desk.rng)
  })
  // The page shows the new stage once the server has it.
  desk.think(latency + desk.rng.int(1_000, 5_000))
}

/** Goes through the job's frames; true when the review got to the end. */
function reviewJob(
  desk: Desk,
  plan: DemoPlan,
  job: DemoJob,
  changes: AnnotationChanges,
  nextIssueId: () => number,
): boolean {
  const { rng } = desk
  const pace = desk.person.habits.pace
  const until = desk.t + rng.between(15, 60) * MINUTE
  let frame = 0
  while (desk.busy && desk.t < until && frame < job.frames - 1) {
    const step = rng.weighted([
      [1, 0.6],
      [5, 0.25],
      [10, 0.15],
    ] as const)
    const to = Math.min(job.frames - 1, frame + step)
    changeFrame(desk, frame, to, step, 1)
    frame = to
    desk.think(pace * rng.logNormal(5_000, 0.6, 90_000))
    if (rng.chance(0.15)) adjustView(desk)
    if (rng.chance(0.08)) {
      adjustObject(desk, pace)
      noteUpdate(changes, plan.objects.pick(job, frame, rng))
    }
    if (rng.chance(0.02)) changes.created.push(drawObject(desk, job, plan.objects, frame, 8_000, pace))
    if (rng.chance(0.015)) {
      const victim = plan.objects.pick(job, frame, rng)
      desk.emit('delete:object', { count: 1 })
      if (victim) {
        plan.objects.remove(job, victim)
        noteDelete(changes, victim)
      }
    }
    if (rng.chance(0.006)) {
      const issueId = nextIssueId()
      desk.think(rng.logNormal(20_000, 0.5, 95_000))
      desk.server(rng.int(100, 900), (at) => issueCreated(desk.person, job, issueId, at, rng))
    }
    if (rng.chance(0.02)) clickButton(desk)
    if (rng.chance(0.001)) reportException(desk)
    if (rng.chance(0.003)) desk.away(rng.between(101, 300) * 1000)
  }
  return frame >= job.frames - 1 || desk.t >= until
}
